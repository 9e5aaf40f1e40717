using System.Buffers;
using RemoteWrite.Core.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RemoteWrite.Forwarder.Apis;

/// <summary>
/// The <c>event</c> of a bulk entry as bytes. With <c>rawPayload</c> (the hand-off contract) daprd
/// sends the stored bytes as a base64 string (dapr/dapr pkg/runtime/subscription/bulksubscription.go:
/// <c>base64.StdEncoding.EncodeToString(message.Event)</c>), decoded here straight from the JSON
/// reader into a pooled array: a message is ~100 KB, and an array per message would land on the
/// large object heap. A CloudEvent object with <c>data_base64</c> is read too, for messages published
/// before the contract. Anything else is empty, and the forwarder drops it as invalid. Dispose once
/// the delivery is answered.
/// </summary>
[JsonConverter(typeof(BulkEventConverter))]
public sealed class BulkEvent : IDisposable
{
    private byte[]? _rented;

    public BulkEvent(ReadOnlyMemory<byte> bytes) => Bytes = bytes;

    private BulkEvent(byte[] rented, int length)
    {
        _rented = rented;
        Bytes = rented.AsMemory(0, length);
    }

    public ReadOnlyMemory<byte> Bytes { get; private set; }

    /// <summary>Decodes unescaped base64 text into a pooled array; null when it is not base64.</summary>
    internal static BulkEvent? FromBase64(ReadOnlySpan<byte> utf8)
    {
        var rented = BytePool.Rent(Math.Max(Base64.GetMaxDecodedFromUtf8Length(utf8.Length), 1));
        if (Base64.DecodeFromUtf8(utf8, rented, out _, out var written) == OperationStatus.Done)
        {
            return new BulkEvent(rented, written);
        }

        BytePool.Return(rented);
        return null;
    }

    public void Dispose()
    {
        Bytes = ReadOnlyMemory<byte>.Empty;
        if (Interlocked.Exchange(ref _rented, null) is { } rented)
        {
            BytePool.Return(rented);
        }
    }
}

public sealed class BulkEventConverter : JsonConverter<BulkEvent>
{
    public override BulkEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            // Go's encoding/json never escapes base64's alphabet, so the text is used as it is in the buffer.
            if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            {
                return BulkEvent.FromBase64(reader.ValueSpan) ?? new BulkEvent(ReadOnlyMemory<byte>.Empty);
            }

            return new BulkEvent(reader.TryGetBytesFromBase64(out var raw) ? raw : ReadOnlyMemory<byte>.Empty);
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

        return new BulkEvent(ReadOnlyMemory<byte>.Empty);
    }

    public override void Write(Utf8JsonWriter writer, BulkEvent value, JsonSerializerOptions options) => writer.WriteBase64StringValue(value.Bytes.Span);
}
