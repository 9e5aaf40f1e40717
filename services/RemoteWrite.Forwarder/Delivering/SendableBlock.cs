using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Forwarder.Delivering;

/// <summary>
/// A snappy block ready to go to Azure, at most the request limit, from one delivery: the
/// delivery's own bytes when it needed no change (borrowed), or a part cut or filtered from it
/// (owned, disposed with the batch).
/// </summary>
public sealed record SendableBlock(int DeliveryIndex, ReadOnlyMemory<byte> Body, int DecodedLength, ScanSummary Summary, IDisposable? Owned = null);
