namespace RemoteWrite.Testing;

public static class RedisServerBinary
{
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
