using System.Collections.Concurrent;

namespace RemoteWrite.Dapr.Tests.Forwarder;

/// <summary>The network under the real HttpClient: records each request (body read) and answers with <see cref="Respond"/>.</summary>
public sealed class FakeHttpHandler : HttpMessageHandler
{
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>What to answer; throw <see cref="HttpRequestException"/> for a network error.</summary>
    public Func<RecordedRequest, HttpResponseMessage> Respond { get; set; } = _ => new HttpResponseMessage(System.Net.HttpStatusCode.NoContent);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.Parameter, request.Headers.TryGetValues("dapr-api-token", out var t) ? t.First() : null, body);
        Requests.Enqueue(recorded);
        return Respond(recorded);
    }
}

public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Bearer, string? DaprApiToken, byte[] Body);
