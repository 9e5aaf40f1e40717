using Dapr.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RemoteWrite.Dapr;

/// <summary>
/// Ready only when the sidecar answers its health endpoint (<c>GET /v1.0/healthz</c>, 204 when
/// healthy, CONTRACT.md §4a) and, for an app that calls others, <c>/v1.0/healthz/outbound</c>.
/// </summary>
public sealed class DaprSidecarHealthCheck(DaprClient dapr, bool outbound) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var healthy = outbound
                ? await dapr.CheckOutboundHealthAsync(cancellationToken)
                : await dapr.CheckHealthAsync(cancellationToken);
            return healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the Dapr sidecar is not healthy");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("the Dapr sidecar does not answer: " + e.GetType().Name);
        }
    }
}
