using Dapr.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RemoteWrite.Dapr;

public static class DaprServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="DaprClient"/> (TryAdd: a test's fake wins, as in dapr/dotnet-sdk's
    /// own tests) and a readiness check on the sidecar. The SDK finds the sidecar through
    /// <c>DAPR_GRPC_ENDPOINT</c>/<c>DAPR_HTTP_ENDPOINT</c> (src/Dapr.Common/DaprDefaults.cs).
    /// </summary>
    public static IServiceCollection AddDaprSidecar(this IServiceCollection services, bool outbound)
    {
        services.AddDaprClient();
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "dapr-sidecar",
            sp => new DaprSidecarHealthCheck(sp.GetRequiredService<DaprClient>(), outbound),
            HealthStatus.Unhealthy,
            ["ready"],
            TimeSpan.FromSeconds(5)));
        return services;
    }
}
