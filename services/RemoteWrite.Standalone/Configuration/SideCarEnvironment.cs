using System.Globalization;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Standalone.Configuration;

/// <summary>
/// Maps the side car's environment variables (and the auth proxy's aliases) onto the options
/// classes; the only place that knows those names. A variable that is set wins over the same
/// setting given as a section key (<c>Identity__ClientId</c>); the first name listed wins among aliases.
/// </summary>
public static class SideCarEnvironment
{
    public static void ApplyIdentity(IdentityOptions options, IConfiguration config)
    {
        if (ParseIdentityType(Get(config, SideCarVariables.IdentityType)) is { } type)
        {
            options.Type = type;
        }

        Set(config, v => options.ClientId = v, SideCarVariables.ClientId, SideCarVariables.ProxyClientId);
        Set(config, v => options.TenantId = v, SideCarVariables.TenantId, SideCarVariables.ProxyTenantId);
        Set(config, v => options.CertificatePath = v, SideCarVariables.CertificatePath, SideCarVariables.ProxyCertificatePath);
        Set(config, v => options.CertificatePassword = v, SideCarVariables.CertificatePassword);
        Set(config, v => options.ClientSecret = v, SideCarVariables.ClientSecret);
        Set(config, v => options.ClientSecretFile = v, SideCarVariables.ClientSecretFile);
        Set(config, v => options.FederatedTokenFile = v, SideCarVariables.FederatedTokenFile);
        Set(config, v => options.Cloud = v, SideCarVariables.Cloud);
        Set(config, v => options.Audience = v, SideCarVariables.Audience, SideCarVariables.ProxyAudience);

        // The side car's AAD_HOST_ENDPOINT is the user's explicit choice; AZURE_AUTHORITY_HOST is
        // what the workload identity webhook injects.
        Set(config, v => options.AuthorityHost = WithScheme(v), SideCarVariables.AadHostEndpoint, SideCarVariables.AuthorityHost);

        if (SideCarSettings.ParseBool(Get(config, SideCarVariables.SendCertificateChain)) is { } chain)
        {
            options.SendCertificateChain = chain;
        }

        if (int.TryParse(Get(config, SideCarVariables.ProxyRefreshPercent), NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            options.RefreshAtPercentOfLifetime = percent;
        }
    }

    public static void ApplyAzureMonitor(AzureMonitorOptions options, IConfiguration config) =>
        Set(config, v => options.IngestionUrl = v, SideCarVariables.IngestionUrl);

    public static void ApplySettings(SideCarSettings settings, IConfiguration config)
    {
        settings.IdentityType = Get(config, SideCarVariables.IdentityType);
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

    /// <summary>The side car's <c>IDENTITY_TYPE</c> values, any case; null when unknown or empty.</summary>
    public static IdentityType? ParseIdentityType(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "userassigned" or "user_assigned" or "managedidentity" => IdentityType.UserAssigned,
        "systemassigned" or "system_assigned" => IdentityType.SystemAssigned,
        "aadapplication" or "aad_application" or "serviceprincipal" => IdentityType.AadApplication,
        "workloadidentity" or "workload_identity" => IdentityType.WorkloadIdentity,
        _ => null,
    };

    private static string? Get(IConfiguration config, string name) =>
        config[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static void Set(IConfiguration config, Action<string> assign, params string[] names)
    {
        foreach (var name in names)
        {
            if (Get(config, name) is { } value)
            {
                assign(value);
                return;
            }
        }
    }

    // AAD_HOST_ENDPOINT is sometimes written as a bare host name.
    private static string WithScheme(string host) => host.Contains("://", StringComparison.Ordinal) ? host : "https://" + host;
}
