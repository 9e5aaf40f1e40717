using System.Text.Json;
using System.Text.Json.Serialization;

namespace RemoteWrite.Forwarder.Apis;

/// <summary>
/// The <c>event</c> of a bulk entry as bytes. With <c>rawPayload</c> (the hand-off contract) daprd
/// sends the stored bytes as a base64 string (dapr/dapr pkg/runtime/subscription/bulksubscription.go:
/// <c>base64.StdEncoding.EncodeToString(message.Event)</c>); a CloudEvent object with
/// <c>data_base64</c> is read too, for messages published before the contract. Anything else is empty,
/// and the forwarder drops it as invalid.
/// </summary>
[JsonConverter(typeof(BulkEventConverter))]
public sealed record BulkEvent(byte[] Bytes);

public sealed class BulkEventConverter : JsonConverter<BulkEvent>
{
    public override BulkEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new BulkEvent(reader.TryGetBytesFromBase64(out var raw) ? raw : []);
        }

        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("data_base64") && property.Value.ValueKind == JsonValueKind.String && property.Value.TryGetBytesFromBase64(out var data))
                {
                    return new BulkEvent(data);
                }
            }
        }

        return new BulkEvent([]);
    }

    public override void Write(Utf8JsonWriter writer, BulkEvent value, JsonSerializerOptions options) => writer.WriteBase64StringValue(value.Bytes);
}
