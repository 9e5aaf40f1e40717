using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Pipeline;

/// <summary>
/// A validated request, ready to deliver: its parts (each at most the part limit, compressed),
/// what was received and what was dropped on purpose, by reason. Dispose it once delivered.
/// </summary>
public sealed class PreparedWrite(RemoteWriteVersion version, ScanSummary received, IReadOnlyList<EncodedPart> parts, IReadOnlyDictionary<DropReason, DropCounts> dropped, bool forwardedAsReceived, int truncatedSeries = 0) : IDisposable
{
    public RemoteWriteVersion Version { get; } = version;

    /// <summary>What the body held (after 2.0 → 1.0 conversion, before filters).</summary>
    public ScanSummary Received { get; } = received;

    /// <summary>The bodies to send, in order. Empty when nothing is left to send.</summary>
    public IReadOnlyList<EncodedPart> Parts { get; } = parts;

    /// <summary>What filters took out, by reason. Empty when nothing was dropped.</summary>
    public IReadOnlyDictionary<DropReason, DropCounts> Dropped { get; } = dropped;

    /// <summary>Series kept with label values cut to the limit (<c>RemoteWrite__OverLimitLabels=truncate</c>).</summary>
    public int TruncatedSeries { get; } = truncatedSeries;

    /// <summary>True when the single part is the body exactly as received (no change was needed).</summary>
    public bool ForwardedAsReceived { get; } = forwardedAsReceived;

    /// <summary>Pooled bytes the parts occupy: what the request holds while they are delivered.</summary>
    public long PartBytes
    {
        get
        {
            long bytes = 0;
            foreach (var part in Parts)
            {
                bytes += part.PooledBytes;
            }

            return bytes;
        }
    }

    /// <summary>Samples, histograms and exemplars in the parts: what a 2.0 answer reports as written.</summary>
    public ScanSummary Accepted
    {
        get
        {
            int series = 0, samples = 0, histograms = 0, exemplars = 0, metadata = 0;
            long min = long.MaxValue, max = long.MinValue;
            foreach (var part in Parts)
            {
                var s = part.Summary;
                series += s.Series;
                samples += s.Samples;
                histograms += s.Histograms;
                exemplars += s.Exemplars;
                metadata += s.Metadata;
                min = Math.Min(min, s.MinTimestamp);
                max = Math.Max(max, s.MaxTimestamp);
            }

            return new ScanSummary(series, samples, histograms, exemplars, metadata, min, max);
        }
    }

    public void Dispose()
    {
        foreach (var part in Parts)
        {
            part.Dispose();
        }
    }
}
