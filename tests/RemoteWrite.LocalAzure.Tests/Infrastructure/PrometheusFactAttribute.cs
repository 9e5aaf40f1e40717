namespace RemoteWrite.LocalAzure.Tests.Infrastructure;

/// <summary>
/// A fact that needs Debian's <c>prometheus</c> binary: skipped with a reason where it is missing,
/// except under <c>CI=true</c>, where a missing binary must fail the run (xunit 2.9 has no Assert.Skip).
/// </summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusBinary.Path is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "prometheus binary not found (apt-get install prometheus, or set PROMETHEUS_BIN)";
        }
    }
}

public static class PrometheusBinary
{
    /// <summary><c>PROMETHEUS_BIN</c>, else /usr/bin/prometheus, else null.</summary>
    public static string? Path
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("PROMETHEUS_BIN");
            if (!string.IsNullOrEmpty(configured))
            {
                return File.Exists(configured) ? configured : null;
            }

            return File.Exists("/usr/bin/prometheus") ? "/usr/bin/prometheus" : null;
        }
    }
}
