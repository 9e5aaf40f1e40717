using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace RemoteWrite.Receiver.Security;

/// <summary>
/// Write authentication as an endpoint filter on <c>POST /api/v1/write</c> only (health, readiness and
/// metrics stay open for probes and scrapers). Installed only when something is configured, so the
/// default path has no filter at all. 401 with <c>WWW-Authenticate</c> (Prometheus drops that batch:
/// a wrong credential is not something a retry fixes), 403 without a client certificate, 503 while the
/// credentials are not loaded yet or every bcrypt slot is busy. The bodies are fixed texts: nothing of the request is echoed.
/// </summary>
public static class WriteAuthFilter
{
    private const string UnauthorizedText = "unauthorized\n";
    private const string ForbiddenText = "client certificate required\n";
    private const string NotLoadedText = "write credentials not loaded yet, try again\n";
    private const string BusyText = "too many credentials to verify at once, try again\n";

    public static TBuilder RequireWriteAuthentication<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        // A convention, not a filter factory: the filter is added only when something is configured, so with
        // write authentication off the handler runs without a filter pipeline (no per-request invocation context).
        builder.Add(static endpoint =>
        {
            var services = endpoint.ApplicationServices;
            if (services.GetService<WriteAuthenticator>() is not { IsEnabled: true } authenticator)
            {
                return;
            }

            var metrics = services.GetRequiredService<ReceiverMetrics>();
            var authMetrics = services.GetRequiredService<WriteAuthMetrics>();
            endpoint.FilterFactories.Add((_, next) => invocation =>
            {
                var started = Stopwatch.GetTimestamp();
                var outcome = authenticator.Check(invocation.HttpContext);
                return outcome == WriteAuthOutcome.Allowed
                    ? next(invocation)
                    : RefuseAsync(invocation.HttpContext, outcome, authenticator, metrics, authMetrics, started);
            });
        });
        return builder;
    }

    private static async ValueTask<object?> RefuseAsync(HttpContext context, WriteAuthOutcome outcome, WriteAuthenticator authenticator, ReceiverMetrics metrics, WriteAuthMetrics authMetrics, long started)
    {
        var response = context.Response;
        string text;
        switch (outcome)
        {
            case WriteAuthOutcome.ClientCertificate:
                response.StatusCode = StatusCodes.Status403Forbidden;
                text = ForbiddenText;
                break;
            case WriteAuthOutcome.NotLoaded:
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                response.Headers.RetryAfter = "5";
                text = NotLoadedText;
                break;
            case WriteAuthOutcome.Busy:
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                response.Headers.RetryAfter = "1";
                text = BusyText;
                break;
            default:
                response.StatusCode = StatusCodes.Status401Unauthorized;
                response.Headers.WWWAuthenticate = authenticator.Challenges;
                text = UnauthorizedText;
                break;
        }

        if (outcome is not (WriteAuthOutcome.NotLoaded or WriteAuthOutcome.Busy))
        {
            authMetrics.Refused(outcome);
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(text, context.RequestAborted);
        metrics.Answered(response.StatusCode, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return Results.Empty;
    }
}
