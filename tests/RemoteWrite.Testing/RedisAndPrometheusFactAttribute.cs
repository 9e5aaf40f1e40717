namespace RemoteWrite.Testing;

/// <summary>A fact that needs both <c>redis-server</c> and <c>prometheus</c>.</summary>
public sealed class RedisAndPrometheusFactAttribute() : RequiresBinaryFactAttribute(
    (RedisServerBinary.Path, RedisServerBinary.Missing),
    (PrometheusBinary.Path, PrometheusBinary.Missing));
