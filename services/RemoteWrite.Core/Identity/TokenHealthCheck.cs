using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RemoteWrite.Core.Identity;

/// <summary>
/// Readiness: unhealthy until a token is held and again when it is lost, so the pod is not sent
/// traffic it can only answer 503 (the auth proxy answers ready without a token, CONTRACT.md §3a).
/// </summary>
public sealed class TokenHealthCheck(ITokenStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.HasToken
            ? HealthCheckResult.Healthy($"token valid until {status.ExpiresOn:O}")
            : HealthCheckResult.Unhealthy(status.LastError is { } error ? $"no Entra ID token: {error}" : "no Entra ID token yet"));
}
