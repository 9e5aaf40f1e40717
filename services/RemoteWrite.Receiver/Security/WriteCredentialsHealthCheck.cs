using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RemoteWrite.Receiver.Security;

/// <summary>Not ready while configured write credentials are not loaded (writes get 503 meanwhile).</summary>
public sealed class WriteCredentialsHealthCheck(WriteAuthenticator authenticator) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(authenticator.IsLoaded
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("write credentials not loaded yet"));
}
