using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Errors;

namespace RemoteWrite.Core.Codec;

/// <summary>
/// Joins snappy blocks without decoding them. A block is a varint of its decoded length followed
/// by elements, literals and copies whose offsets count back from the current output position and
/// never reach before the block's own start (google/snappy format_description.txt §2, "the offset
/// ... may not be larger than the amount of data decoded so far"). So one new length header
/// followed by every block's elements decodes to the blocks' decoded bytes, one after another.
/// Remote-write messages concatenate too (repeated fields, CONTRACT.md §1): merging N bodies
/// costs one memory copy instead of N decodes and one compression.
/// </summary>
public static class SnappyConcatenation
{
    /// <summary>The block format's decoded length is a uint32 (format_description.txt §1).</summary>
    public const long MaxDecodedLength = uint.MaxValue;

    /// <summary>Length of the varint header at the start of <paramref name="block"/>; 400 when unreadable.</summary>
    public static int HeaderLength(ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < 5 && i < block.Length; i++)
        {
            if (block[i] < 0x80)
            {
                return i + 1;
            }
        }

        throw RemoteWriteException.Invalid("snappy: corrupt input (bad length header)");
    }

    /// <summary>
    /// The compressed length of the blocks joined: one header for <paramref name="decodedTotal"/>
    /// plus every block without its own header.
    /// </summary>
    public static long JoinedLength(long decodedTotal, long elementBytesTotal) => ProtoWriter.VarintSize((ulong)decodedTotal) + elementBytesTotal;

    /// <summary>
    /// Joins <paramref name="blocks"/> (each a whole snappy block whose decoded length is in
    /// <paramref name="decodedLengths"/>) into one pooled block the caller disposes.
    /// </summary>
    public static PooledBuffer Join(IReadOnlyList<ReadOnlyMemory<byte>> blocks, IReadOnlyList<int> decodedLengths)
    {
        long decoded = 0;
        long elements = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            decoded += decodedLengths[i];
            elements += blocks[i].Length - HeaderLength(blocks[i].Span);
        }

        if (decoded > MaxDecodedLength)
        {
            throw RemoteWriteException.TooLarge($"joined body of {decoded} decoded bytes exceeds snappy's limit");
        }

        var total = JoinedLength(decoded, elements);
        var buffer = PooledBuffer.Rent(checked((int)total));
        var span = buffer.WritableSpan;
        var at = ProtoWriter.WriteVarint(span, (ulong)decoded);
        foreach (var block in blocks)
        {
            var source = block.Span;
            var body = source[HeaderLength(source)..];
            body.CopyTo(span[at..]);
            at += body.Length;
        }

        buffer.SetLength(at);
        return buffer;
    }
}
