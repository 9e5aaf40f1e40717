using System.Text.Json;

namespace RemoteWrite.Forwarder.Apis;

/// <summary>
/// Reads daprd's bulk delivery: <c>{"entries":[{"entryId","event","metadata","contentType"}], …}</c>
/// (dapr/dapr pkg/runtime/pubsub/bulk_subscriber.go <c>BulkSubscribeMessageItem</c>; Go matches keys
/// case-insensitively, and so does this). An event is a CloudEvent whose <c>data_base64</c> holds the
/// body; a raw-payload event is the base64 string itself. An entry without bytes gets an empty body,
/// which the forwarder drops as invalid.
/// </summary>
public static class BulkEnvelope
{
    public static IReadOnlyList<Delivery> Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var result = new List<Delivery>();
        if (!TryGet(document.RootElement, "entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return result;
        }

        foreach (var entry in entries.EnumerateArray())
        {
            var id = TryGet(entry, "entryId", out var idElement) ? idElement.GetString() ?? "" : "";
            result.Add(new Delivery(id, TryGet(entry, "event", out var ev) ? BytesOf(ev) : ReadOnlyMemory<byte>.Empty));
        }

        return result;
    }

    private static ReadOnlyMemory<byte> BytesOf(JsonElement ev)
    {
        if (ev.ValueKind == JsonValueKind.Object && TryGet(ev, "data_base64", out var data) && data.ValueKind == JsonValueKind.String && data.TryGetBytesFromBase64(out var bytes))
        {
            return bytes;
        }

        if (ev.ValueKind == JsonValueKind.String && ev.TryGetBytesFromBase64(out var raw))
        {
            return raw;
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
