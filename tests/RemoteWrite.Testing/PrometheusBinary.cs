namespace RemoteWrite.Testing;

public static class PrometheusBinary
{
    /// <summary>Why a test that needs it is skipped where it is missing.</summary>
    public const string Missing = "prometheus binary not found (apt-get install prometheus, or set PROMETHEUS_BIN)";

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
