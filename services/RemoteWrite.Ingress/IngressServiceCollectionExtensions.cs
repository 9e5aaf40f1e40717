using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Dapr;
using RemoteWrite.Receiver;

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
            applyTimeWindow: false));
        services.AddRemoteWriteReceiver(configuration);
        services.AddDaprSidecar(outbound: false);
        services.AddSingleton<IngressMetrics>();
        services.AddSingleton<IWriteSink, DaprPublisherSink>();
        return services;
    }
}
