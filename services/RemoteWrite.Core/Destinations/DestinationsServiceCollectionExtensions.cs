using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Destinations;

public static class DestinationsServiceCollectionExtensions
{
    /// <summary>True when <c>DESTINATIONS_FILE</c> is set: several destinations instead of INGESTION_URL's one.</summary>
    public static bool HasDestinationsFile(IConfiguration configuration) =>
        SideCarEnvironment.Get(configuration, SideCarVariables.DestinationsFile) is not null;

    /// <summary>
    /// Registers the destinations of <c>DESTINATIONS_FILE</c> (validated at start): each with its own
    /// token keeper, its endpoints, and <see cref="DestinationsSink"/> as the <see cref="IWriteSink"/>;
    /// readiness' <see cref="ITokenStatus"/> is every destination's. Call before
    /// <c>AddAzureMonitorSender</c> (which adds the sender these use) and instead of <c>AddAzureIdentity</c>.
    /// </summary>
    public static IServiceCollection AddAzureDestinations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DestinationsOptions>(configuration.GetSection("Destinations"))
            .Configure(o => o.File = SideCarEnvironment.Get(configuration, SideCarVariables.DestinationsFile));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITokenCredentialFactory>(_ => new AzureCredentialFactory());
        services.TryAddSingleton<TokenMetrics>();
        services.TryAddSingleton<DestinationMetrics>();
        services.TryAddSingleton<DestinationSet>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DestinationSet>());
        services.TryAddSingleton<ITokenStatus>(sp => sp.GetRequiredService<DestinationSet>());
        services.TryAddSingleton<DestinationsSink>();
        services.TryAddSingleton<IWriteSink>(sp => sp.GetRequiredService<DestinationsSink>());
        return services;
    }
}
