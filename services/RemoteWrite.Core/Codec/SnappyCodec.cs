using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Errors;
using Snappier;

namespace RemoteWrite.Core.Codec;

/// <summary>
/// Snappy block format (not framed), as remote-write uses it. The decoded length is read from
/// the snappy header and checked against the limit before any buffer is rented (VictoriaMetrics
/// lib/encoding/snappy does the same).
/// </summary>
public static class SnappyCodec
{
    /// <summary>Default cap on a decoded body: 32 MiB, as Prometheus' own receiver.</summary>
    public const int DefaultMaxDecodedBytes = 32 * 1024 * 1024;

    /// <summary>Most decoded bytes per compressed byte any snappy stream can hold: 64 from a 3-byte copy, rounded up.</summary>
    private const int MaxExpansion = 22;

    /// <summary>Reads the decoded length from the header; throws 400 when unreadable and 413 past the limit.</summary>
    public static int GetDecodedLength(ReadOnlySpan<byte> compressed, int maxDecodedBytes)
    {
        // The header is a little-endian base-128 varint of at most 5 bytes (a uint32).
        ulong length = 0;
        var shift = 0;
        for (var i = 0; ; i++)
        {
            if (i >= compressed.Length || i >= 5)
            {
                throw RemoteWriteException.Invalid("snappy: corrupt input (bad length header)");
            }

            var b = compressed[i];
            length |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }

            shift += 7;
        }

        if (length > uint.MaxValue)
        {
            throw RemoteWriteException.Invalid("snappy: corrupt input (bad length header)");
        }

        if (length > (ulong)maxDecodedBytes)
        {
            throw RemoteWriteException.TooLarge($"decoded body of {length} bytes exceeds the limit of {maxDecodedBytes} bytes");
        }

        // No snappy element yields more than 64 bytes from 3 (a copy with a 2-byte offset, google/snappy
        // format_description.txt), so a header declaring more is a lie: refused before any buffer is
        // reserved or allocated for it.
        if (length > (ulong)compressed.Length * MaxExpansion)
        {
            throw RemoteWriteException.Invalid("snappy: corrupt input (declared length exceeds what the stream can hold)");
        }

        return (int)length;
    }

    /// <summary>Decodes into a pooled buffer the caller disposes.</summary>
    public static PooledBuffer Decode(ReadOnlySpan<byte> compressed, int maxDecodedBytes = DefaultMaxDecodedBytes)
    {
        if (compressed.IsEmpty)
        {
            throw RemoteWriteException.Invalid("empty body");
        }

        var length = GetDecodedLength(compressed, maxDecodedBytes);
        var buffer = PooledBuffer.Rent(length);
        try
        {
            var written = Snappy.Decompress(compressed, buffer.WritableSpan[..length]);
            if (written != length || !ElementsDecodeTo(compressed[SnappyConcatenation.HeaderLength(compressed)..], length))
            {
                throw RemoteWriteException.Invalid("snappy: corrupt input (length mismatch)");
            }

            return buffer;
        }
        catch (InvalidDataException)
        {
            buffer.Dispose();
            throw RemoteWriteException.Invalid("snappy: corrupt input");
        }
        catch (ArgumentException)
        {
            buffer.Dispose();
            throw RemoteWriteException.Invalid("snappy: corrupt input");
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether the elements after the header decode to exactly <paramref name="length"/> bytes. Snappier
    /// stops once the declared length is written and ignores the rest, so a header that under-declares
    /// would pass with part of the data (and, forwarded as received, break every batch it is joined
    /// into, SnappyConcatenation); Go's snappy, which Prometheus and Azure use, refuses it. Found by the
    /// malformed-input suite (issue 10). Reads only the tags (google/snappy format_description.txt §2).
    /// </summary>
    internal static bool ElementsDecodeTo(ReadOnlySpan<byte> elements, int length)
    {
        long produced = 0;
        var i = 0;
        while (i < elements.Length)
        {
            var tag = elements[i++];
            long size;
            switch (tag & 3)
            {
                case 0:
                    size = tag >> 2;
                    if (size >= 60)
                    {
                        // 60..63: the literal's length - 1 follows in 1..4 little-endian bytes.
                        var extra = (int)size - 59;
                        if (extra > elements.Length - i)
                        {
                            return false;
                        }

                        size = 0;
                        for (var k = 0; k < extra; k++)
                        {
                            size |= (long)elements[i + k] << (8 * k);
                        }

                        i += extra;
                    }

                    size++;
                    if (size > elements.Length - i)
                    {
                        return false;
                    }

                    i += (int)size;
                    break;
                case 1:
                    size = ((tag >> 2) & 7) + 4;
                    i += 1;
                    break;
                case 2:
                    size = (tag >> 2) + 1;
                    i += 2;
                    break;
                default:
                    size = (tag >> 2) + 1;
                    i += 4;
                    break;
            }

            produced += size;
            if (produced > length)
            {
                return false;
            }
        }

        return i == elements.Length && produced == length;
    }

    /// <summary>Compresses into a pooled buffer the caller disposes.</summary>
    public static PooledBuffer Encode(ReadOnlySpan<byte> decoded)
    {
        var buffer = PooledBuffer.Rent(Snappy.GetMaxCompressedLength(decoded.Length));
        var written = Snappy.Compress(decoded, buffer.WritableSpan);
        buffer.SetLength(written);

        // A part waits for Azure in this buffer: keep it the size of what it holds, not of the worst
        // case (a 1 MB part of a 5 MB decoded body would otherwise hold an 8 MB array while it waits).
        return buffer.TrimmedToLength();
    }

    /// <summary>Compresses into a new array (for tests and tools, not the hot path).</summary>
    public static byte[] EncodeToArray(ReadOnlySpan<byte> decoded)
    {
        using var buffer = Encode(decoded);
        return buffer.Span.ToArray();
    }
}
