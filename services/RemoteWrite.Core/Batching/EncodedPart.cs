using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Batching;

/// <summary>
/// One snappy-compressed remote-write 1.0 body ready to send, with what it holds.
/// The owner disposes it once the body has been sent (or handed on).
/// </summary>
public sealed class EncodedPart(PooledBuffer compressed, ScanSummary summary) : IDisposable
{
    public ReadOnlyMemory<byte> Compressed => compressed.Memory;

    public int Length => compressed.Length;

    public ScanSummary Summary { get; } = summary;

    public void Dispose() => compressed.Dispose();
}
