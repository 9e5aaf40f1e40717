using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Dapr;
using RemoteWrite.Receiver;

namespace RemoteWrite.Ingress;

public static class IngressServiceCollectionExtensions
{
    /// <summary>The shared receiver, with the Dapr publisher as its sink.</summary>
    public static IServiceCollection AddIngress(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRemoteWriteReceiver(configuration);
        services.AddValidatedOptions<IngressOptions>(configuration.GetSection(IngressOptions.SectionName));
        services.AddDaprSidecar(outbound: false);
        services.AddSingleton<IngressMetrics>();
        services.AddSingleton<IWriteSink, DaprPublisherSink>();
        return services;
    }
}
