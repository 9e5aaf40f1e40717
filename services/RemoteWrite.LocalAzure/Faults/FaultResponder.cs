using System.Text.Json.Nodes;

namespace RemoteWrite.LocalAzure.Faults;

/// <summary>Applies the injector's decision to a request: delay, then reset or a status, else null to go on.</summary>
internal static class FaultResponder
{
    public static async Task<IResult?> ApplyAsync(HttpContext context, FaultInjector faults, FaultTarget target, TimeProvider time)
    {
        var decision = faults.Decide(target);
        if (decision.IsNone)
        {
            return null;
        }

        if (decision.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(decision.LatencyMs), time, context.RequestAborted);
        }

        if (decision.Reset)
        {
            // Drops the TCP connection (RST) as a broken load balancer would.
            context.Abort();
            return Results.Empty;
        }

        if (decision.Status is not { } status)
        {
            return null;
        }

        if (decision.RetryAfterSeconds is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var body = new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = "InjectedFault", ["message"] = $"Fault injected by the local Azure stand-in: HTTP {status}." },
        };
        return Results.Json(body, statusCode: status);
    }
}
