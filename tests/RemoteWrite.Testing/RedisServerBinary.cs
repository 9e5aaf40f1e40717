namespace RemoteWrite.Testing;

public static class RedisServerBinary
{
    /// <summary>Why a test that needs it is skipped where it is missing.</summary>
    public const string Missing = "redis-server not found (apt-get install redis-server, or set REDIS_SERVER_BIN)";

    /// <summary><c>REDIS_SERVER_BIN</c>, else /usr/bin/redis-server, else null.</summary>
    public static string? Path
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("REDIS_SERVER_BIN");
            if (!string.IsNullOrEmpty(configured))
            {
                return File.Exists(configured) ? configured : null;
            }

            return File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : null;
        }
    }
}
