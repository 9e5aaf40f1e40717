namespace RemoteWrite.Testing;

/// <summary>
/// A fact that needs an external binary: skipped with the reason where it is missing, except on CI
/// (<c>CI=true</c>), where the test runs and fails instead (xunit 2.9 has no Assert.Skip).
/// </summary>
public class RequiresBinaryFactAttribute : FactAttribute
{
    public RequiresBinaryFactAttribute(string path)
        : this(File.Exists(path) ? path : null, $"{path} is not installed")
    {
    }

    /// <param name="found">The binary's path, or null when it is missing.</param>
    /// <param name="missing">Why the test is skipped, with how to install the binary.</param>
    protected RequiresBinaryFactAttribute(string? found, string missing)
        : this((found, missing))
    {
    }

    /// <param name="binaries">Each binary's path (null when missing) and the reason given when it is.</param>
    protected RequiresBinaryFactAttribute(params (string? Found, string Missing)[] binaries)
    {
        var missing = binaries.Where(b => b.Found is null).Select(b => b.Missing).ToList();
        if (missing.Count > 0 && !IsCi)
        {
            Skip = $"{string.Join("; ", missing)}; set CI=true to make this a failure.";
        }
    }

    /// <summary>CI must run every test, so a missing binary is a failure there, not a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
