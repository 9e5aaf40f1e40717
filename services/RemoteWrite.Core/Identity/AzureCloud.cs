namespace RemoteWrite.Core.Identity;

/// <summary>The Azure cloud to sign in to and send to (side car's <c>CLOUD</c>, CONTRACT.md §3).</summary>
public enum AzureCloud
{
    Public,
    Government,
    China,

    /// <summary>Sovereign or private clouds: authority host and audience must be given.</summary>
    Custom,
}

/// <summary>Parsing and per-cloud defaults for <see cref="AzureCloud"/>.</summary>
public static class AzureClouds
{
    /// <summary>
    /// Parses every spelling the side car's docs use: <c>AZUREPUBLIC</c>, <c>AZURE_PUBLIC</c>,
    /// <c>AzurePublicCloud</c>, <c>public</c> … case-insensitive, underscores, dashes and spaces ignored.
    /// </summary>
    public static bool TryParse(string? text, out AzureCloud cloud)
    {
        cloud = AzureCloud.Public;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var key = new string(text.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        if (key.StartsWith("AZURE", StringComparison.Ordinal))
        {
            key = key["AZURE".Length..];
        }

        if (key.EndsWith("CLOUD", StringComparison.Ordinal))
        {
            key = key[..^"CLOUD".Length];
        }

        switch (key)
        {
            case "PUBLIC" or "":
                cloud = AzureCloud.Public;
                return true;
            case "GOVERNMENT" or "USGOVERNMENT" or "USGOV" or "GOV":
                cloud = AzureCloud.Government;
                return true;
            case "CHINA":
                cloud = AzureCloud.China;
                return true;
            case "CUSTOM":
                cloud = AzureCloud.Custom;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The ingestion audience (without <c>/.default</c>) of a cloud; null for custom (CONTRACT.md §2).</summary>
    public static string? DefaultAudience(this AzureCloud cloud) => cloud switch
    {
        AzureCloud.Public => "https://monitor.azure.com",
        AzureCloud.Government => "https://monitor.azure.us",
        AzureCloud.China => "https://monitor.azure.cn",
        _ => null,
    };

    /// <summary>The Entra ID authority host of a cloud; null for custom.</summary>
    public static Uri? DefaultAuthorityHost(this AzureCloud cloud) => cloud switch
    {
        AzureCloud.Public => new Uri("https://login.microsoftonline.com/"),
        AzureCloud.Government => new Uri("https://login.microsoftonline.us/"),
        AzureCloud.China => new Uri("https://login.chinacloudapi.cn/"),
        _ => null,
    };

    /// <summary>True for the hosts MSAL knows; any other host needs instance discovery turned off (CONTRACT.md §2a).</summary>
    public static bool IsKnownAuthorityHost(Uri host) =>
        host.Host is "login.microsoftonline.com" or "login.microsoftonline.us" or "login.chinacloudapi.cn" or "login.windows.net" or "login.partner.microsoftonline.cn";
}
