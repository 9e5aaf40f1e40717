using System.Globalization;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// A <c>pubsub.redis</c> component's settings, parsed with the rules components-contrib applies
/// (common/component/redis/redis.go <c>ParseClientFromProperties</c>, settings.go): defaults
/// processingTimeout 60 s, redeliverInterval 15 s, queueDepth 100, concurrency 10;
/// <c>processingTimeout</c> as whole milliseconds or, failing that, a Go duration (the decoder);
/// <c>redeliverInterval</c> as whole milliseconds only (its field is <c>mapstructure:"-"</c>, so any
/// other text leaves the default); counts as unsigned integers (<c>uint</c>); <c>maxLenApprox</c> as
/// an int64 and <c>streamTTL</c> as a Go duration, never both (pubsub/redis/redis.go <c>Init</c>).
/// A value the component would refuse throws <see cref="FormatException"/>; one it would ignore is
/// reported in <see cref="Ignored"/>.
/// </summary>
public sealed record RedisPubSubSettings(
    string Host,
    TimeSpan ProcessingTimeout,
    TimeSpan RedeliverInterval,
    int QueueDepth,
    int Concurrency,
    long MaxLenApprox,
    TimeSpan StreamTtl,
    IReadOnlyList<string> Ignored)
{
    /// <summary>The component's name (<c>metadata.name</c>): the pub/sub name apps publish to.</summary>
    public string Name { get; init; } = "pubsub";

    /// <summary><c>redisPassword</c>.</summary>
    public string? Password { get; init; }

    /// <summary><c>consumerID</c>: consumer group and consumer name; daprd sets it to the app id when unset.</summary>
    public string? ConsumerId { get; init; }

    /// <summary>components-contrib's defaults, on <paramref name="host"/>.</summary>
    public static RedisPubSubSettings Default(string host) => Parse(new Dictionary<string, string> { ["redisHost"] = host });

    public static RedisPubSubSettings FromFile(string path)
    {
        var doc = MiniYaml.ParseFile(path);
        var type = MiniYaml.At(doc, "spec", "type") as string;
        if (type != "pubsub.redis")
        {
            throw new FormatException($"{path}: spec.type is '{type}', not pubsub.redis");
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in (List<object?>)MiniYaml.At(doc, "spec", "metadata")!)
        {
            if (MiniYaml.At(item, "name") is string name)
            {
                values[name] = MiniYaml.At(item, "value") as string ?? "";
            }
        }

        return Parse(values) with { Name = MiniYaml.At(doc, "metadata", "name") as string ?? "pubsub" };
    }

    public static RedisPubSubSettings Parse(IReadOnlyDictionary<string, string> values)
    {
        var ignored = new List<string>();
        var processing = TimeSpan.FromSeconds(60);
        if (Value(values, "processingTimeout") is { } p)
        {
            processing = ulong.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : ResiliencyFile.ParseDuration(p);
        }

        var redeliver = TimeSpan.FromSeconds(15);
        if (Value(values, "redeliverInterval") is { } r)
        {
            if (ulong.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                redeliver = TimeSpan.FromMilliseconds(ms);
            }
            else
            {
                ignored.Add($"redeliverInterval '{r}' is not whole milliseconds: the component ignores it and keeps 15s");
            }
        }

        var maxLen = Value(values, "maxLenApprox") is { } m ? long.Parse(m, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var ttl = Value(values, "streamTTL") is { } t ? ResiliencyFile.ParseDuration(t) : TimeSpan.Zero;
        if (maxLen > 0 && ttl > TimeSpan.Zero)
        {
            ignored.Add("maxLenApprox and streamTTL cannot be used together");
        }

        return new RedisPubSubSettings(
            Value(values, "redisHost") ?? "",
            processing,
            redeliver,
            Count(values, "queueDepth", 100),
            Count(values, "concurrency", 10),
            maxLen,
            ttl,
            ignored)
        {
            Password = Value(values, "redisPassword"),
            ConsumerId = Value(values, "consumerID"),
        };
    }

    private static int Count(IReadOnlyDictionary<string, string> values, string key, int fallback) =>
        Value(values, key) is { } text ? checked((int)uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)) : fallback;

    private static string? Value(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v) ? v : null;
}
