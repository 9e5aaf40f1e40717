using System.Diagnostics;
using System.Text.Json;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// Builds the CloudEvent daprd wraps a published payload in (dapr/dapr pkg/runtime/pubsub/cloudevents.go
/// → components-contrib pubsub/envelope.go <c>NewCloudEventsEnvelope</c>): only
/// <c>application/octet-stream</c> goes into <c>data_base64</c>; <c>application/json</c> into <c>data</c>
/// as JSON; every other type (<c>application/x-protobuf</c> included) into <c>data</c> as a string,
/// which mangles bytes that are not UTF-8: why the ingress publishes octet-stream (CONTRACT.md §4).
/// </summary>
public static class CloudEventFactory
{
    public const string ContentType = "application/cloudevents+json";

    public static byte[] Create(string id, string source, string pubSub, string topic, ReadOnlySpan<byte> data, string? dataContentType, DateTimeOffset time)
    {
        var contentType = string.IsNullOrEmpty(dataContentType) ? "text/plain" : dataContentType;
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var traceParent = $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
        using var buffer = new MemoryStream(data.Length * 4 / 3 + 512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (Is(contentType, "application/octet-stream"))
            {
                json.WriteBase64String("data_base64", data);
            }
            else if (Is(contentType, "application/json") && TryParse(data, out var document))
            {
                using (document)
                {
                    json.WritePropertyName("data");
                    document.WriteTo(json);
                }
            }
            else
            {
                // Go's string(data) then JSON encoding: invalid UTF-8 becomes U+FFFD.
                json.WriteString("data", System.Text.Encoding.UTF8.GetString(data));
            }

            json.WriteString("datacontenttype", contentType);
            json.WriteString("id", id);
            json.WriteString("pubsubname", pubSub);
            json.WriteString("source", source);
            json.WriteString("specversion", "1.0");
            json.WriteString("time", time.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("topic", topic);
            json.WriteString("traceid", traceParent);
            json.WriteString("traceparent", traceParent);
            json.WriteString("tracestate", "");
            json.WriteString("type", "com.dapr.event.sent");
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The CloudEvent daprd makes on the subscriber side for a raw-payload subscription
    /// (components-contrib pubsub/envelope.go <c>FromRawPayload</c>): a new id, octet-stream,
    /// the stored bytes as <c>data_base64</c>.
    /// </summary>
    public static byte[] FromRawPayload(ReadOnlySpan<byte> data, string topic, string pubSub)
    {
        using var buffer = new MemoryStream(data.Length * 4 / 3 + 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", Guid.NewGuid().ToString());
            json.WriteString("specversion", "1.0");
            json.WriteString("datacontenttype", "application/octet-stream");
            json.WriteString("source", "Dapr");
            json.WriteString("type", "com.dapr.event.sent");
            json.WriteString("topic", topic);
            json.WriteString("pubsubname", pubSub);
            json.WriteBase64String("data_base64", data);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // components-contrib contenttype/contenttype.go isContentType: exact, or the part before ';'.
    private static bool Is(string contentType, string expected) =>
        string.Equals(contentType.Split(';')[0].Trim(), expected, StringComparison.OrdinalIgnoreCase);

    private static bool TryParse(ReadOnlySpan<byte> data, out JsonDocument document)
    {
        try
        {
            document = JsonDocument.Parse(data.ToArray());
            return true;
        }
        catch (JsonException)
        {
            document = null!;
            return false;
        }
    }
}
