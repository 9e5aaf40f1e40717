using Microsoft.Extensions.Diagnostics.HealthChecks;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Forwarder;

/// <summary>
/// Ready only with a token: asks for one (cached, so this is cheap once held), which also fetches the
/// first token before the first delivery arrives.
/// </summary>
public sealed class TokenReadinessCheck(IAccessTokenSource tokens, ITokenStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await tokens.GetTokenAsync(cancellationToken) is { } token
            ? HealthCheckResult.Healthy($"token valid until {token.ExpiresOn:O}")
            : HealthCheckResult.Unhealthy(status.LastError is { } error ? $"no token: {error}" : "no token yet");
}
