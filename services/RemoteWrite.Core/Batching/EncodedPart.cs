using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Batching;

/// <summary>
/// One snappy-compressed remote-write 1.0 body ready to send, with what it holds. It owns a pooled
/// buffer, or borrows bytes its creator keeps alive until it is sent (a delivery sent as it came).
/// The owner disposes it once the body has been sent (or handed on).
/// </summary>
public sealed class EncodedPart : IDisposable
{
    private readonly PooledBuffer? _owned;
    private readonly ReadOnlyMemory<byte> _borrowed;

    public EncodedPart(PooledBuffer compressed, ScanSummary summary)
    {
        _owned = compressed;
        Summary = summary;
    }

    public EncodedPart(ReadOnlyMemory<byte> borrowed, ScanSummary summary)
    {
        _borrowed = borrowed;
        Summary = summary;
    }

    public ReadOnlyMemory<byte> Compressed => _owned?.Memory ?? _borrowed;

    public int Length => _owned?.Length ?? _borrowed.Length;

    public ScanSummary Summary { get; }

    /// <summary>Pooled bytes this part holds while it waits: its array (a received body's may be larger than the body).</summary>
    public long PooledBytes => _owned?.Capacity ?? Buffers.BytePool.RentedLength(Length);

    public void Dispose() => _owned?.Dispose();
}
