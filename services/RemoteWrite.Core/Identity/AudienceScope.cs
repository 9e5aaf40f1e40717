namespace RemoteWrite.Core.Identity;

/// <summary>
/// Turns an audience as users write it (<c>https://monitor.azure.us/</c>, <c>https://monitor.azure.us/.default</c>,
/// <c>https://monitor.azure.us</c>: the side car's docs use all three, CONTRACT.md §3) into one token scope.
/// </summary>
public static class AudienceScope
{
    public const string DefaultSuffix = "/.default";

    /// <summary>The scope <c>&lt;audience&gt;/.default</c>.</summary>
    public static string ToScope(string audience) => ToResource(audience) + DefaultSuffix;

    /// <summary>The audience without <c>/.default</c> and without a trailing slash (the managed identity "resource").</summary>
    public static string ToResource(string audience)
    {
        var text = audience.Trim();
        if (text.EndsWith(DefaultSuffix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^DefaultSuffix.Length];
        }

        return text.TrimEnd('/');
    }
}
