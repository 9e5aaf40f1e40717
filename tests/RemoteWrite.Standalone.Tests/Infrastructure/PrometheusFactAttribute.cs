namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>
/// A fact that needs Debian's <c>prometheus</c> binary: skipped with a reason where it is missing,
/// except under <c>CI=true</c>, where it must run (and fails without the binary). xunit 2.9 has no Assert.Skip.
/// </summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusPath is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "prometheus binary not found (apt-get install prometheus, or set PROMETHEUS_BIN)";
        }
    }

    /// <summary><c>PROMETHEUS_BIN</c>, else /usr/bin/prometheus, else null.</summary>
    public static string? PrometheusPath =>
        Environment.GetEnvironmentVariable("PROMETHEUS_BIN") is { Length: > 0 } configured
            ? (File.Exists(configured) ? configured : null)
            : File.Exists("/usr/bin/prometheus") ? "/usr/bin/prometheus" : null;
}
