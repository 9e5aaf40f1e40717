using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Batching;

/// <summary>
/// Merges several remote-write 1.0 bodies into as few bodies of at most <c>maxCompressedBytes</c>
/// as possible. The decoded messages are concatenated (one valid WriteRequest, CONTRACT.md §1),
/// checked again, and cut by <see cref="RequestSplitter"/>.
/// </summary>
public static class RequestMerger
{
    /// <summary>Merges snappy-compressed bodies. Returns the data points dropped as too large to send alone.</summary>
    public static int MergeCompressed(IReadOnlyList<ReadOnlyMemory<byte>> compressedBodies, int maxCompressedBytes, List<EncodedPart> parts, int maxDecodedBytes = SnappyCodec.DefaultMaxDecodedBytes)
    {
        var decodedTotal = 0L;
        var compressedTotal = 0L;
        foreach (var body in compressedBodies)
        {
            decodedTotal += SnappyCodec.GetDecodedLength(body.Span, maxDecodedBytes);
            compressedTotal += body.Length;
        }

        using var writer = new PooledBufferWriter((int)Math.Min(decodedTotal + 16, Array.MaxLength));
        foreach (var body in compressedBodies)
        {
            using var decoded = SnappyCodec.Decode(body.Span, maxDecodedBytes);
            writer.Write(decoded.Span);
        }

        return SplitMerged(writer.WrittenSpan, maxCompressedBytes, (int)Math.Min(compressedTotal, int.MaxValue), parts);
    }

    /// <summary>Merges decoded WriteRequest bodies.</summary>
    public static int Merge(IReadOnlyList<ReadOnlyMemory<byte>> decodedBodies, int maxCompressedBytes, List<EncodedPart> parts)
    {
        var total = 0L;
        foreach (var body in decodedBodies)
        {
            total += body.Length;
        }

        using var writer = new PooledBufferWriter((int)Math.Min(total + 16, Array.MaxLength));
        foreach (var body in decodedBodies)
        {
            writer.Write(body.Span);
        }

        return SplitMerged(writer.WrittenSpan, maxCompressedBytes, 0, parts);
    }

    private static int SplitMerged(ReadOnlySpan<byte> merged, int maxCompressedBytes, int compressedHint, List<EncodedPart> parts)
    {
        using var scanner = new WriteRequestScanner();
        scanner.Scan(merged);
        return RequestSplitter.Split(merged, scanner, maxCompressedBytes, compressedHint, parts);
    }
}
