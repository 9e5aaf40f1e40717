namespace RemoteWrite.Testing;

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
