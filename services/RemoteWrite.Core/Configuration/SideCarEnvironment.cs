using System.Globalization;
using Microsoft.Extensions.Configuration;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Core.Configuration;

/// <summary>
/// Maps the side car's environment variables (and the auth proxy's aliases) onto the identity and
/// ingestion options: the only place that knows those names, used by every service that reads them
/// (standalone relay, forwarder, token service). A variable that is set wins over the same setting
/// given as a section key (<c>Identity__ClientId</c>); the first name listed wins among aliases.
/// </summary>
public static class SideCarEnvironment
{
    public static void ApplyIdentity(IdentityOptions options, IConfiguration config)
    {
        if (Get(config, SideCarVariables.IdentityType) is { } typeText)
        {
            if (ParseIdentityType(typeText) is { } type)
            {
                options.Type = type;
            }
            else
            {
                options.UnknownIdentityType = typeText;
            }
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

        if (ParseBool(Get(config, SideCarVariables.SendCertificateChain)) is { } chain)
        {
            options.SendCertificateChain = chain;
        }

        if (int.TryParse(Get(config, SideCarVariables.ProxyRefreshPercent), NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            options.RefreshAtPercentOfLifetime = percent;
        }
    }

    public static void ApplyAzureMonitor(AzureMonitorOptions options, IConfiguration config)
    {
        Set(config, v => options.IngestionUrl = v, SideCarVariables.IngestionUrl);
        options.DestinationsFile = Get(config, SideCarVariables.DestinationsFile);
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

    /// <summary>true/false in the spellings the side car's users write; null when it is neither.</summary>
    public static bool? ParseBool(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" or "" => false,
        _ => null,
    };

    /// <summary>The trimmed value of <paramref name="name"/>, or null when unset or blank.</summary>
    public static string? Get(IConfiguration config, string name) =>
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
