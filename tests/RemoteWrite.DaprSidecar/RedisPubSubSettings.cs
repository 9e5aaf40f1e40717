using System.Globalization;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// The settings of a <c>pubsub.redis</c> component as components-contrib reads them
/// (common/component/redis/settings.go <c>Settings</c>; defaults and the millisecond rule in
/// common/component/redis/redis.go <c>ParseClientFromProperties</c>), from the component's YAML
/// (components/pubsub.yaml), so the tests run with the shipped values.
/// </summary>
public sealed record RedisPubSubSettings
{
    /// <summary>The component's name (<c>metadata.name</c>): the pub/sub name apps publish to.</summary>
    public string Name { get; init; } = "pubsub";

    /// <summary><c>redisHost</c>: host:port.</summary>
    public string Host { get; init; } = "localhost:6379";

    public string? Password { get; init; }

    /// <summary><c>consumerID</c>: the consumer group and consumer name; daprd sets it to the app id when unset.</summary>
    public string? ConsumerId { get; init; }

    /// <summary><c>concurrency</c>: worker goroutines handling messages (default 10).</summary>
    public int Concurrency { get; init; } = 10;

    /// <summary><c>queueDepth</c>: XREADGROUP's COUNT and the capacity of the queue to the workers (default 100).</summary>
    public int QueueDepth { get; init; } = 100;

    /// <summary><c>processingTimeout</c>: a pending message idle this long is claimed again (default 60 s; a bare number is milliseconds).</summary>
    public TimeSpan ProcessingTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>redeliverInterval</c>: how often pending messages are checked (default 15 s; only a bare number of milliseconds is read).</summary>
    public TimeSpan RedeliverInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>maxLenApprox</c>: <c>XADD MAXLEN ~</c>; 0 = unbounded.</summary>
    public long MaxLenApprox { get; init; }

    /// <summary><c>streamTTL</c>: <c>XADD MINID ~ now-TTL</c> (settings.go <c>GetMinID</c>); zero = off.</summary>
    public TimeSpan StreamTtl { get; init; }

    /// <summary>Reads the <c>spec.metadata</c> of a component file; unknown or absent keys keep components-contrib's defaults.</summary>
    public static RedisPubSubSettings FromComponentFile(string path)
    {
        var document = MiniYaml.ParseFile(path);
        var items = MiniYaml.At(document, "spec", "metadata") as List<object?> ?? [];
        var values = items.ToDictionary(i => (string)MiniYaml.At(i, "name")!, i => MiniYaml.At(i, "value") as string ?? "", StringComparer.OrdinalIgnoreCase);
        return FromMetadata(values) with { Name = MiniYaml.At(document, "metadata", "name") as string ?? "pubsub" };
    }

    public static RedisPubSubSettings FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        var s = new RedisPubSubSettings();
        string? Get(string key) => metadata.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        return s with
        {
            Host = Get("redisHost") ?? s.Host,
            Password = Get("redisPassword"),
            ConsumerId = Get("consumerID"),
            Concurrency = Get("concurrency") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : s.Concurrency,
            QueueDepth = Get("queueDepth") is { } q ? int.Parse(q, CultureInfo.InvariantCulture) : s.QueueDepth,
            // redis.go: "because of legacy reasons, we need to interpret a number as milliseconds".
            ProcessingTimeout = Get("processingTimeout") is { } p ? Milliseconds(p) ?? ResiliencyFile.ParseDuration(p) : s.ProcessingTimeout,
            // settings.go tags RedeliverInterval `mapstructure:"-"`: only the millisecond branch in redis.go sets it,
            // so "15s" leaves the default (15 s) in place.
            RedeliverInterval = Get("redeliverInterval") is { } r && Milliseconds(r) is { } ms ? ms : s.RedeliverInterval,
            MaxLenApprox = Get("maxLenApprox") is { } m ? long.Parse(m, CultureInfo.InvariantCulture) : 0,
            StreamTtl = Get("streamTTL") is { } t ? Milliseconds(t) ?? ResiliencyFile.ParseDuration(t) : TimeSpan.Zero,
        };
    }

    private static TimeSpan? Milliseconds(string value) =>
        ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
}
