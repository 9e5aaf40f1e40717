using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// A <see cref="BrokerMessage"/> as a stream entry, laid out as components-contrib's Redis pub/sub
/// writes it (pubsub/redis/redis.go <c>Publish</c>: field <c>data</c> = the bytes daprd hands the
/// component, <c>metadata</c> = the publish metadata as JSON), plus the stand-in's own bookkeeping
/// (<c>id</c>, <c>dataBytes</c>) so what comes back is the message that went in, byte for byte.
/// </summary>
public static class RedisStreamEntry
{
    public static NameValueEntry[] From(BrokerMessage message) =>
    [
        new("data", message.Data),
        new("metadata", JsonSerializer.Serialize(message.Metadata)),
        new("id", message.Id),
        new("dataBytes", message.DataBytes),
    ];

    public static BrokerMessage To(string pubSub, string topic, StreamEntry entry)
    {
        var metadata = entry["metadata"] is { IsNull: false } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>((string)json!) ?? []
            : new Dictionary<string, string>();
        var id = entry["id"] is { IsNull: false } i ? (string)i! : entry.Id.ToString();
        var data = (byte[]?)entry["data"] ?? [];
        var dataBytes = entry["dataBytes"] is { IsNull: false } n ? int.Parse((string)n!, CultureInfo.InvariantCulture) : data.Length;
        return new BrokerMessage(id, pubSub, topic, data, metadata, dataBytes);
    }
}
