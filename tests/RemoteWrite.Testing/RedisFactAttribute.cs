namespace RemoteWrite.Testing;

/// <summary>A fact that needs Debian's <c>redis-server</c> (see <see cref="RedisServerBinary"/>); .ci/run installs it.</summary>
public sealed class RedisFactAttribute() : RequiresBinaryFactAttribute(
    RedisServerBinary.Path,
    "redis-server not found (apt-get install redis-server, or set REDIS_SERVER_BIN)");
