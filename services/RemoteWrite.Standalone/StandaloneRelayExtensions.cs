using Microsoft.Extensions.DependencyInjection.Extensions;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Configuration;
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
    /// Composes the relay: the shared receiver, the token keeper, the Azure Monitor sink, readiness
    /// on the token, the per-minute line, the side car's variables and port.
    /// </summary>
    public static WebApplicationBuilder AddStandaloneRelay(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddRemoteWriteReceiver(config);
        services.AddAzureIdentity(config);
        services.AddAzureMonitorSender(config);
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
