using Microsoft.Extensions.DependencyInjection.Extensions;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Hosting.Status;

namespace RemoteWrite.Forwarder.Lag;

public static class LagServiceCollectionExtensions
{
    /// <summary>
    /// Lag, visible (issue 13): the age of the oldest sample being sent and the delivery lag
    /// (<see cref="DeliveryLag"/>, from the ingress' facts as the delivery endpoint reads them), the Redis backlog when <c>Forwarder:Lag:RedisAddress</c> is set
    /// (<see cref="BrokerBacklog"/>), on <c>/metrics</c> and in a line every report interval.
    /// </summary>
    public static IServiceCollection AddForwarderLag(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<LagOptions>(configuration.GetSection(LagOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeliveryLag>();
        services.TryAddSingleton<BrokerBacklog>();
        services.AddHostedService(sp => sp.GetRequiredService<BrokerBacklog>());
        services.AddHostedService<LagReporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatusSection, LagStatusSection>());
        return services;
    }
}
