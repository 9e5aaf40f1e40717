using RemoteWrite.Hosting.Admission;
using RemoteWrite.Hosting.Status;
using Dapr.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Azure.Check;
using RemoteWrite.Core.Azure.Reporting;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Dapr;
using RemoteWrite.Forwarder.Delivering;

namespace RemoteWrite.Forwarder;

public static class ForwarderServiceCollectionExtensions
{
    /// <summary>
    /// The forwarder: options (sections <c>Forwarder</c>, <c>RemoteWrite</c>, <c>AzureMonitor</c> and
    /// the side car's <c>INGESTION_URL</c>), the token client as <see cref="IAccessTokenSource"/>, the
    /// shared Azure sender and sink, readiness on the sidecar and on holding a token, and the
    /// app-token authentication daprd's calls carry.
    /// </summary>
    public static IServiceCollection AddForwarder(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ForwarderOptions>(configuration.GetSection(ForwarderOptions.SectionName))
            .Configure(o => o.MaxMessageBytes = configuration.GetValue(HandOff.MaxMessageBytesKey, HandOff.DefaultMaxMessageBytes));
        services.AddValidatedOptions<WriteLimits>(configuration.GetSection(WriteLimits.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        // A full bulk holds up to ~86 MB (twice its JSON): room for three at once; Admission__* still override it.
        services.Configure<AdmissionOptions>(o => o.MaxInFlightBytes = 256L * 1024 * 1024);
        services.AddAdmissionControl(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatusSection, InFlightStatusSection>());
        services.AddDaprSidecar(outbound: true);

        services.TryAddSingleton<DaprTokenClient>();
        services.TryAddSingleton<IAccessTokenSource>(sp => sp.GetRequiredService<DaprTokenClient>());
        services.TryAddSingleton<ITokenStatus>(sp => sp.GetRequiredService<DaprTokenClient>());
        services.TryAddSingleton<ICheckTokenSource, TokenServiceCheckTokenSource>();

        // One retry owner per hop: daprd redelivers what the forwarder answers RETRY
        // (components/resiliency.yaml), so the sender does not retry a POST itself; a refused token is
        // replaced through the token service, whose retries are daprd's too, so the sink waits as long as
        // the token client does. Registered before the section is bound: AzureMonitor__* still override them.
        services.Configure<AzureMonitorOptions>(o =>
        {
            o.MaxRetries = 0;
            o.FreshTokenTimeout = new ForwarderOptions().TokenTimeout;
        });
        services.AddAzureMonitorSender(configuration);

        services.TryAddSingleton<ForwarderMetrics>();
        services.TryAddSingleton<InvalidDataReport>();
        services.TryAddSingleton<DeliveryForwarder>();
        services.Configure<PublishSummaryOptions>(o => o.WithDeliveryCounts = true);
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
