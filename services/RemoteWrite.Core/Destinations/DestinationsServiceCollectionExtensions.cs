using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Azure.Check;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Destinations;

public static class DestinationsServiceCollectionExtensions
{
    /// <summary>
    /// Registers where the relay sends: the single destination of <c>INGESTION_URL</c> (its identity,
    /// <c>AddAzureIdentity</c>, and <see cref="AzureMonitorSink"/>) or, when <c>DESTINATIONS_FILE</c>
    /// is set, its destinations (<see cref="DestinationSet"/>: each with its own token keeper and
    /// endpoints; <see cref="DestinationsSink"/>). Which one is decided from the bound options when the
    /// host first needs it, not here: a test host's configuration arrives after composition. The
    /// <see cref="IWriteSink"/>, readiness' <see cref="ITokenStatus"/>, the running token keepers and the
    /// <c>check</c> command's targets and tokens follow it.
    /// </summary>
    public static IServiceCollection AddAzureMonitorDestinations(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<IWriteSink>(sp => UsesFile(sp) ? sp.GetRequiredService<DestinationsSink>() : sp.GetRequiredService<AzureMonitorSink>());
        services.TryAddSingleton<ITokenStatus>(sp => UsesFile(sp) ? sp.GetRequiredService<DestinationSet>() : sp.GetRequiredService<AccessTokenKeeper>());
        services.TryAddSingleton<DestinationsCheck>();
        services.TryAddSingleton<ICheckTargets>(sp => UsesFile(sp) ? sp.GetRequiredService<DestinationsCheck>() : ActivatorUtilities.CreateInstance<SingleDestinationCheckTargets>(sp));
        services.TryAddSingleton<ICheckTokenSource>(sp => UsesFile(sp) ? sp.GetRequiredService<DestinationsCheck>() : ActivatorUtilities.CreateInstance<CredentialCheckTokenSource>(sp));

        // The single destination's keeper runs only without DESTINATIONS_FILE: its hosted-service entry becomes the choice.
        var before = services.Count;
        services.AddAzureIdentity(configuration);
        for (var i = before; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IHostedService))
            {
                services[i] = ServiceDescriptor.Singleton<IHostedService, ActiveTokenKeepers>(sp => new ActiveTokenKeepers(sp));
            }
        }

        services.AddAzureMonitorSender(configuration);
        services.Configure<AzureMonitorOptions>(o => o.DestinationsFileSupported = true);
        services.AddValidatedOptions<DestinationsOptions>(configuration.GetSection("Destinations"))
            .Configure(o => o.File = SideCarEnvironment.Get(configuration, SideCarVariables.DestinationsFile));
        services.TryAddSingleton<DestinationMetrics>();
        services.TryAddSingleton<DestinationSet>();
        services.TryAddSingleton<DestinationsSink>();
        return services;
    }

    private static bool UsesFile(IServiceProvider services) =>
        !string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<AzureMonitorOptions>>().Value.DestinationsFile);

    /// <summary>Starts and stops the token keepers of whichever destinations are in use.</summary>
    private sealed class ActiveTokenKeepers(IServiceProvider services) : IHostedService
    {
        private IHostedService? _active;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _active = UsesFile(services) ? services.GetRequiredService<DestinationSet>() : services.GetRequiredService<AccessTokenKeeper>();
            return _active.StartAsync(cancellationToken);
        }

        // Only what was started; the host may stop a provider that it already disposed.
        public Task StopAsync(CancellationToken cancellationToken) => _active?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }
}
