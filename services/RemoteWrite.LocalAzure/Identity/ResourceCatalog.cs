using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Identity;

/// <summary>
/// Resources tokens can be requested for. Defaults to the Azure Monitor audience of each cloud
/// (CONTRACT §2: <c>https://monitor.azure.com</c>, <c>.us</c>, <c>.cn</c>).
/// </summary>
internal static class ResourceCatalog
{
    public static readonly string[] MonitorResources = ["https://monitor.azure.com", "https://monitor.azure.us", "https://monitor.azure.cn"];

    public static IReadOnlyList<string> Known(LocalAzureOptions options) => options.Resources.Count > 0 ? options.Resources : MonitorResources;

    /// <summary>Resource of a v2 scope; client credentials need the <c>/.default</c> form (AADSTS1002012).</summary>
    public static bool TryResourceOfScope(string? scope, out string resource)
    {
        resource = "";
        if (string.IsNullOrWhiteSpace(scope))
        {
            return false;
        }

        // MSAL may add offline_access/openid/profile; the resource scope is the one ending in /.default.
        foreach (var s in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (s.EndsWith("/.default", StringComparison.OrdinalIgnoreCase))
            {
                resource = s[..^"/.default".Length];
                return resource.Length > 0;
            }
        }

        return false;
    }

    public static bool IsKnown(LocalAzureOptions options, string resource) =>
        Known(options).Any(r => string.Equals(r.TrimEnd('/'), resource.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));

    /// <summary>The canonical spelling (no trailing slash), used as <c>aud</c>.</summary>
    public static string Canonical(string resource) => resource.TrimEnd('/');
}
