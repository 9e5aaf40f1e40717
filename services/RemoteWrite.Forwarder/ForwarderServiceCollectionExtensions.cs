using RemoteWrite.Core.Azure.Reporting;
using Dapr.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Dapr;

namespace RemoteWrite.Forwarder;

public static class ForwarderServiceCollectionExtensions
{
    /// <summary>
    /// The forwarder: options (sections <c>Forwarder</c>, <c>RemoteWrite</c>, <c>AzureMonitor</c>), the
    /// token client as <see cref="IAccessTokenSource"/>, the shared Azure sender and sink, readiness on
    /// the sidecar and on holding a token, and the app-token authentication daprd's calls carry.
    /// </summary>
    public static IServiceCollection AddForwarder(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ForwarderOptions>(configuration.GetSection(ForwarderOptions.SectionName));
        services.AddValidatedOptions<WriteLimits>(configuration.GetSection(WriteLimits.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddDaprSidecar(outbound: true);

        services.TryAddSingleton<DaprTokenClient>();
        services.TryAddSingleton<IAccessTokenSource>(sp => sp.GetRequiredService<DaprTokenClient>());
        services.TryAddSingleton<ITokenStatus>(sp => sp.GetRequiredService<DaprTokenClient>());
        services.AddAzureMonitorSender(configuration);

        services.TryAddSingleton<ForwarderMetrics>();
        services.TryAddSingleton<InvalidDataReport>();
        services.TryAddSingleton<DeliveryForwarder>();
        services.AddPublishSummary(configuration);
        services.AddHostedService<InvalidDataReporter>();
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "token",
            sp => new TokenReadinessCheck(sp.GetRequiredService<IAccessTokenSource>(), sp.GetRequiredService<ITokenStatus>()),
            HealthStatus.Unhealthy,
            ["ready"],
            TimeSpan.FromSeconds(20)));

        services.AddAuthentication().AddDapr();
        services.AddAuthorization(o => o.AddDapr());
        return services;
    }
}
