using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Standalone.Configuration;

/// <summary>
/// The side car's settings only the relay reads (port, trace logging, cluster …); the identity and
/// ingestion variables are mapped by the shared <see cref="Core.Configuration.SideCarEnvironment"/>.
/// </summary>
public static class RelayEnvironment
{
    public static void ApplySettings(SideCarSettings settings, IConfiguration config)
    {
        settings.ListeningPort = Get(config, SideCarVariables.ListeningPort);
        settings.TraceLogging = Get(config, SideCarVariables.TraceLogging);
        settings.RefreshPercent = Get(config, SideCarVariables.ProxyRefreshPercent);
        settings.SendCertificateChain = Get(config, SideCarVariables.SendCertificateChain);
        settings.Cluster = Get(config, SideCarVariables.Cluster);
        settings.TargetHost = Get(config, SideCarVariables.ProxyTargetHost);
        settings.HasIngestionUrl = Get(config, SideCarVariables.IngestionUrl) is not null
            || !string.IsNullOrWhiteSpace(config[$"{AzureMonitorOptions.SectionName}:{nameof(AzureMonitorOptions.IngestionUrl)}"]);
    }

    /// <summary>The settings as read from <paramref name="config"/>.</summary>
    public static SideCarSettings ReadSettings(IConfiguration config)
    {
        var settings = new SideCarSettings();
        ApplySettings(settings, config);
        return settings;
    }

    private static string? Get(IConfiguration config, string name) => Core.Configuration.SideCarEnvironment.Get(config, name);
}
