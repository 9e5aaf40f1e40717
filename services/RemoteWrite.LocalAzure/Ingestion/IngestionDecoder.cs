using System.Buffers;
using Google.Protobuf;
using RemoteWrite.LocalAzure.Protocol;
using Snappier;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>
/// The stand-in's own decoder: snappy block format with Snappier, then one
/// <c>WriteRequest.Parser.ParseFrom</c> on its own copy of prompb (Protos/), so a bug in Core's codec
/// or scanner cannot pass on both sides (issue 10). Google.Protobuf refuses truncated fields, bad
/// varints and invalid UTF-8 in strings (proto3 <c>string</c> must be UTF-8); like golang/protobuf,
/// it keeps a known field with an unexpected wire type as an unknown field instead of refusing it.
/// </summary>
internal static class IngestionDecoder
{
    /// <summary>Decompresses and parses; throws <see cref="IngestionException"/> 400 or 413.</summary>
    public static WriteRequest Decode(ReadOnlySpan<byte> compressed, int maxDecodedBytes)
    {
        if (compressed.IsEmpty)
        {
            throw IngestionException.Invalid("empty body");
        }

        // The declared length is checked before any buffer is taken: a snappy bomb costs nothing.
        var length = DeclaredLength(compressed);
        if (length > (ulong)maxDecodedBytes)
        {
            throw IngestionException.TooLarge($"decoded body of {length} bytes exceeds the limit of {maxDecodedBytes} bytes");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, (int)length));
        try
        {
            int written;
            try
            {
                written = Snappy.Decompress(compressed, buffer.AsSpan(0, (int)length));
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException)
            {
                throw IngestionException.Invalid("snappy: corrupt input");
            }

            if (written != (int)length || !StreamLength(compressed[HeaderBytes(compressed)..], out var described) || described != length)
            {
                throw IngestionException.Invalid("snappy: corrupt input (length mismatch)");
            }

            return Parse(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses a decoded 1.0 WriteRequest; throws <see cref="IngestionException"/> 400.</summary>
    public static WriteRequest Parse(ReadOnlySpan<byte> decoded)
    {
        try
        {
            return WriteRequest.Parser.ParseFrom(decoded);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw IngestionException.Invalid("protobuf: " + e.Message);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw IngestionException.Invalid("protobuf: a string is not valid UTF-8");
        }
    }

    // Snappier stops once the declared length is written and ignores what follows; Go's snappy (Azure's
    // side) refuses such a stream, so the elements' own total must equal the header (format_description.txt §2).
    private static bool StreamLength(ReadOnlySpan<byte> elements, out ulong total)
    {
        total = 0;
        var at = 0;
        while (at < elements.Length)
        {
            var tag = elements[at];
            ulong produced;
            int consumed;
            switch (tag & 0b11)
            {
                case 0b00:
                    var lengthBytes = Math.Max(0, (tag >> 2) - 59);
                    ulong literal = lengthBytes == 0 ? (ulong)(tag >> 2) : 0;
                    if (at + 1 + lengthBytes > elements.Length)
                    {
                        return false;
                    }

                    for (var k = 0; k < lengthBytes; k++)
                    {
                        literal |= (ulong)elements[at + 1 + k] << (8 * k);
                    }

                    produced = literal + 1;
                    if (produced > (ulong)(elements.Length - at - 1 - lengthBytes))
                    {
                        return false;
                    }

                    consumed = 1 + lengthBytes + (int)produced;
                    break;
                case 0b01:
                    (produced, consumed) = ((ulong)(4 + ((tag >> 2) & 0b111)), 2);
                    break;
                case 0b10:
                    (produced, consumed) = ((ulong)(1 + (tag >> 2)), 3);
                    break;
                default:
                    (produced, consumed) = ((ulong)(1 + (tag >> 2)), 5);
                    break;
            }

            total += produced;
            at += consumed;
        }

        return at == elements.Length;
    }

    private static int HeaderBytes(ReadOnlySpan<byte> compressed)
    {
        var i = 0;
        while (compressed[i] >= 0x80)
        {
            i++;
        }

        return i + 1;
    }

    // Snappy's header: the decoded length as a little-endian base-128 varint of at most 5 bytes (a uint32).
    private static ulong DeclaredLength(ReadOnlySpan<byte> compressed)
    {
        ulong length = 0;
        for (var i = 0; i < 5 && i < compressed.Length; i++)
        {
            length |= (ulong)(compressed[i] & 0x7F) << (7 * i);
            if (compressed[i] < 0x80)
            {
                return length <= uint.MaxValue ? length : throw IngestionException.Invalid("snappy: corrupt input (bad length header)");
            }
        }

        throw IngestionException.Invalid("snappy: corrupt input (bad length header)");
    }
}
