using System.Collections.Concurrent;
using System.Net;

namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>The HTTP upstream the sender talks to: answers from a script and records every request.</summary>
public sealed class FakeAzure : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    /// <summary>Answer when the script is empty: 200.</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Default { get; set; } = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

    public FakeAzure Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    public FakeAzure Then(HttpStatusCode status, string? body = null, Action<HttpResponseMessage>? configure = null) =>
        Then((_, _) =>
        {
            var response = new HttpResponseMessage(status);
            if (body is not null)
            {
                response.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            }

            configure?.Invoke(response);
            return Task.FromResult(response);
        });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Enqueue(new Recorded(
            request.RequestUri!,
            request.Headers.Authorization?.ToString(),
            request.Content?.Headers.ContentType?.ToString(),
            request.Content is null ? "" : string.Join(",", request.Content.Headers.ContentEncoding),
            request.Headers.TryGetValues("X-Prometheus-Remote-Write-Version", out var v) ? string.Join(",", v) : null,
            request.Headers.UserAgent.ToString(),
            body));
        var answer = _script.TryDequeue(out var next) ? next : Default;
        return await answer(request, cancellationToken);
    }

    public sealed record Recorded(Uri Uri, string? Authorization, string? ContentType, string ContentEncoding, string? Version, string UserAgent, byte[] Body);
}
