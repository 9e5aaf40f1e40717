using Microsoft.Extensions.DependencyInjection.Extensions;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Destinations;
using RemoteWrite.Core.Identity;
using RemoteWrite.Hosting;
using RemoteWrite.Hosting.Status;
using RemoteWrite.Receiver;
using RemoteWrite.Standalone.Configuration;
using RemoteWrite.Core.Azure.Reporting;

namespace RemoteWrite.Standalone;

public static class StandaloneRelayExtensions
{
    /// <summary>
    /// Composes the relay: the shared receiver, the token keeper and the Azure Monitor sink (or, with
    /// DESTINATIONS_FILE, the destinations, each with its token keeper and endpoints), readiness
    /// on the token, the per-minute line, the side car's variables and port.
    /// </summary>
    public static WebApplicationBuilder AddStandaloneRelay(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddRemoteWriteReceiver(config);
        // INGESTION_URL's single destination, or the several of DESTINATIONS_FILE (each with its own identity).
        services.AddAzureMonitorDestinations(config);
        services.AddValidatedOptions<SideCarSettings>(config.GetSection("SideCar")).Configure<IConfiguration>(RelayEnvironment.ApplySettings);

        services.AddHealthChecks().AddCheck<TokenHealthCheck>("entra-token", tags: [ServiceDefaultsExtensions.ReadyTag]);

        services.AddPublishSummary(config);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatusSection, InFlightStatusSection>());

        // TRACE_LOGGING=true: everything at Debug, as the side car's verbose mode.
        services.AddOptions<LoggerFilterOptions>().Configure<IConfiguration>((filters, c) =>
        {
            if (RelayEnvironment.ReadSettings(c).IsTraceLogging)
            {
                filters.MinLevel = LogLevel.Debug;
                filters.Rules.Add(new LoggerFilterRule(null, null, LogLevel.Debug, null));
            }
        });

        // LISTENING_PORT, else an explicit ASPNETCORE_URLS/--urls, else the side car's 8081.
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var port = RelayEnvironment.ReadSettings(context.Configuration).Port;
            if (port is not null || string.IsNullOrWhiteSpace(context.Configuration[WebHostDefaults.ServerUrlsKey]))
            {
                kestrel.ListenAnyIP(port ?? SideCarVariables.DefaultListeningPort);
            }
        });

        return builder;
    }
}
