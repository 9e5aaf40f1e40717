namespace RemoteWrite.Testing;

/// <summary>A fact that needs Debian's <c>redis-server</c> (see <see cref="RedisServerBinary"/>); .ci/run installs it.</summary>
public sealed class RedisFactAttribute() : RequiresBinaryFactAttribute(RedisServerBinary.Path, RedisServerBinary.Missing)
{
    /// <summary>Whether these tests run (and a fixture should start Redis): the binary is there, or CI makes its absence a failure.</summary>
    public static bool Runs => RedisServerBinary.Path is not null || IsCi;
}
