using System.Globalization;

namespace RemoteWrite.Dapr;

/// <summary>
/// The hand-off contract between the ingress and the forwarder, in one place:
/// <list type="bullet">
/// <item>A message is one remote-write 1.0 <c>WriteRequest</c>, snappy block format, at most
/// <c>Ingress:MaxMessageBytes</c> (the broker's limit, not Azure's), published as
/// <see cref="ContentType"/> with <c>rawPayload</c> so the broker stores the bytes themselves
/// (no base64-in-JSON CloudEvent; dapr/dapr pkg/runtime/pubsub/cloudevents.go skips the envelope
/// for raw payloads).</item>
/// <item>The ingress guarantees a validated body (snappy, protobuf, labels, UTF-8) with Azure's
/// label limits applied, and describes it in the metadata (<see cref="MessageFacts"/>); brokers
/// keep publish metadata beside the data (components-contrib pubsub/redis/redis.go
/// <c>Publish</c>: <c>"metadata"</c> field) and daprd passes it on as a bulk entry's
/// <c>metadata</c> or as HTTP headers (pkg/runtime/subscription/postman/http/http.go).</item>
/// <item>The forwarder owns the time window: it decides at send time, from the metadata alone
/// when the whole message is inside or outside it, and merges. Nothing is validated twice; a
/// message without the metadata of <see cref="FormatVersion"/> is checked in full.</item>
/// </list>
/// </summary>
public static class HandOff
{
    /// <summary>Version of this contract; bump it when the body or the metadata change meaning.</summary>
    public const string FormatVersion = "1";

    /// <summary>The configuration key of the largest message (compressed bytes); the ingress cuts at it, the forwarder sizes its endpoint from it.</summary>
    public const string MaxMessageBytesKey = "Ingress:MaxMessageBytes";

    /// <summary>
    /// Default message limit: under Kafka's default <c>message.max.bytes</c> (1,048,588 with the
    /// record's overhead) and Event Hubs' 1 MB with room for the metadata; Redis has no practical
    /// limit. Service Bus Standard needs 200000 (256 KB per message).
    /// </summary>
    public const int DefaultMaxMessageBytes = 1_000_000;

    /// <summary>The content type every message is published with: bytes, never text (CONTRACT.md §4).</summary>
    public const string ContentType = "application/octet-stream";

    /// <summary>Publish and subscription metadata that skips the CloudEvent envelope (dapr/dapr pkg/runtime/pubsub/metadata.go).</summary>
    public const string RawPayload = "rawPayload";

    public const string FormatKey = "rw-format";

    /// <summary>Samples in the message.</summary>
    public const string SamplesKey = "rw-samples";

    /// <summary>Native histogram points in the message.</summary>
    public const string HistogramsKey = "rw-histograms";

    /// <summary>Oldest sample or histogram timestamp, milliseconds since the epoch.</summary>
    public const string MinTimestampKey = "rw-min-ms";

    /// <summary>Newest sample or histogram timestamp, milliseconds since the epoch.</summary>
    public const string MaxTimestampKey = "rw-max-ms";

    /// <summary>The destination name the forwarder sends the message to.</summary>
    public const string DestinationKey = "rw-destination";
}

/// <summary>What the ingress says about one message (<see cref="HandOff"/>): enough for the forwarder to decide without decoding.</summary>
public readonly record struct MessageFacts(int Samples, int Histograms, long MinTimestampMs, long MaxTimestampMs, string Destination)
{
    public int Points => Samples + Histograms;

    /// <summary>The publish metadata: the facts, the format version and <c>rawPayload</c>.</summary>
    public Dictionary<string, string> ToPublishMetadata() => new(7, StringComparer.Ordinal)
    {
        [HandOff.RawPayload] = "true",
        [HandOff.FormatKey] = HandOff.FormatVersion,
        [HandOff.SamplesKey] = Samples.ToString(CultureInfo.InvariantCulture),
        [HandOff.HistogramsKey] = Histograms.ToString(CultureInfo.InvariantCulture),
        [HandOff.MinTimestampKey] = MinTimestampMs.ToString(CultureInfo.InvariantCulture),
        [HandOff.MaxTimestampKey] = MaxTimestampMs.ToString(CultureInfo.InvariantCulture),
        [HandOff.DestinationKey] = Destination,
    };

    /// <summary>Reads the facts; false when any is missing, unparsable or of another format version.</summary>
    public static bool TryRead(IReadOnlyDictionary<string, string>? metadata, out MessageFacts facts)
    {
        facts = default;
        if (metadata is null
            || !metadata.TryGetValue(HandOff.FormatKey, out var format) || format != HandOff.FormatVersion
            || !TryInt(metadata, HandOff.SamplesKey, out var samples)
            || !TryInt(metadata, HandOff.HistogramsKey, out var histograms)
            || !TryLong(metadata, HandOff.MinTimestampKey, out var min)
            || !TryLong(metadata, HandOff.MaxTimestampKey, out var max))
        {
            return false;
        }

        var destination = metadata.TryGetValue(HandOff.DestinationKey, out var d) && !string.IsNullOrEmpty(d) ? d : "default";
        facts = new MessageFacts(samples, histograms, min, max, destination);
        return samples >= 0 && histograms >= 0;
    }

    private static bool TryInt(IReadOnlyDictionary<string, string> metadata, string key, out int value)
    {
        value = 0;
        return metadata.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryLong(IReadOnlyDictionary<string, string> metadata, string key, out long value)
    {
        value = 0;
        return metadata.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}
