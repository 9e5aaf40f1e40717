using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace RemoteWrite.Dapr.Tests.Forwarder;

/// <summary>
/// daprd's HTTP API on a real loopback port, answering with <see cref="FakeHttpHandler.Respond"/>:
/// the SDK's HTTP calls use their own HttpClient, so a fake sidecar must listen (CONTRACT.md §4a).
/// </summary>
public sealed class LoopbackSidecar : IDisposable
{
    private readonly WebApplication _app;

    public LoopbackSidecar(FakeHttpHandler answers)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        _app = builder.Build();
        _app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var request = new RecordedRequest(new HttpMethod(context.Request.Method), new Uri(context.Request.GetEncodedUrl()), null,
                context.Request.Headers.TryGetValue("dapr-api-token", out var token) ? token.ToString() : null, body.ToArray());
            answers.Requests.Enqueue(request);
            HttpResponseMessage response;
            try
            {
                response = answers.Respond(request);
            }
            catch (HttpRequestException)
            {
                context.Abort(); // a network error, as the client sees it
                return;
            }

            using (response)
            {
                context.Response.StatusCode = (int)response.StatusCode;
                context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public void Dispose()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        _app.StopAsync(timeout.Token).GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }
}
