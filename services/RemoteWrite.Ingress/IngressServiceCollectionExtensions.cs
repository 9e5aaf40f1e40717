using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Destinations;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Core.Relabel;
using RemoteWrite.Dapr;
using RemoteWrite.Receiver;
using RemoteWrite.Receiver.Security;

namespace RemoteWrite.Ingress;

public static class IngressServiceCollectionExtensions
{
    /// <summary>
    /// The shared receiver with the Dapr publisher as its sink. Its preparer cuts at the broker's
    /// message limit and leaves the time window to the forwarder (HandOff.cs): one check each.
    /// </summary>
    public static IServiceCollection AddIngress(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<IngressOptions>(configuration.GetSection(IngressOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new WriteRequestPreparer(
            sp.GetRequiredService<IOptions<WriteLimits>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            cutAtBytes: sp.GetRequiredService<IOptions<IngressOptions>>().Value.MaxMessageBytes,
            applyTimeWindow: false,
            relabel: sp.GetRequiredService<IOptions<RelabelOptions>>().Value.Rules));
        // Write credentials from the Dapr secret store when Ingress__WriteAuthSecret is set, else the shared files.
        services.TryAddSingleton<IWriteCredentialSource>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<IngressOptions>>().Value.WriteAuthSecret)
            ? ActivatorUtilities.CreateInstance<FileWriteCredentialSource>(sp)
            : ActivatorUtilities.CreateInstance<DaprWriteCredentialSource>(sp));
        services.AddRemoteWriteReceiver(configuration);
        services.AddDaprSidecar(outbound: false);
        services.AddSingleton<IngressMetrics>();
        services.AddSingleton<DaprPublisherSink>();

        // DESTINATIONS_FILE (names and routes only): each destination's share to its own topic; else one topic.
        services.AddValidatedOptions<DestinationsOptions>(configuration.GetSection("Destinations"))
            .Configure(o =>
            {
                o.File = SideCarEnvironment.Get(configuration, SideCarVariables.DestinationsFile);
                o.RoutingOnly = true;
            });
        services.TryAddSingleton<DestinationMetrics>();
        services.TryAddSingleton<DaprDestinationsPublisher>();
        services.AddSingleton<IWriteSink>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<DestinationsOptions>>().Value.File)
            ? sp.GetRequiredService<DaprPublisherSink>()
            : sp.GetRequiredService<DaprDestinationsPublisher>());
        return services;
    }
}
