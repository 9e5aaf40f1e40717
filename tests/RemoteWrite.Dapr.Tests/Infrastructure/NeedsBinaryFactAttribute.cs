namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>
/// A fact that needs an external binary: skipped with the reason where it is missing, except on CI
/// (<c>CI=true</c>), where the test runs and fails instead (xunit 2.9 has no Assert.Skip).
/// </summary>
public sealed class NeedsBinaryFactAttribute : FactAttribute
{
    public NeedsBinaryFactAttribute(string path)
    {
        if (!File.Exists(path) && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"{path} is not installed (apt-get install prometheus); set CI=true to make this a failure.";
        }
    }
}
