using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Conversion;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Relabel;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Pipeline;

/// <summary>
/// The shared request path, receive → validate → filter → cut: negotiates the protocol, decodes
/// snappy with a size check first, converts 2.0 to 1.0, validates and indexes, drops what Azure
/// would refuse (counted), and cuts the rest into parts within the size limit. A body that needs
/// no change is forwarded as received. Synchronous and allocation-light: everything is pooled.
/// The standalone relay cuts at Azure's request limit and applies the time window here; the Dapr
/// ingress cuts at the broker's message limit and leaves the window to the forwarder, which
/// decides it at send time (services/RemoteWrite.Dapr/HandOff.cs). Relabel rules, when there are
/// any, run before the label limits, so a rule can bring a series within them and whatever a rule
/// creates is held to them too.
/// </summary>
/// <remarks>
/// With a <see cref="Limits.SeriesWatch"/> (the standalone relay), the series that will be sent are
/// hashed into the destination's active-series estimate and checked for case collisions, after the filters.
/// </remarks>
public sealed class WriteRequestPreparer(WriteLimits limits, TimeProvider time, int? cutAtBytes = null, bool applyTimeWindow = true, RelabelRules? relabel = null, Limits.SeriesWatch? watch = null)
{
    private readonly int _cutAtBytes = cutAtBytes ?? limits.MaxPartBytes;

    public WriteLimits Limits => limits;

    /// <summary>The largest compressed part this preparer produces.</summary>
    public int CutAtBytes => _cutAtBytes;

    /// <summary>Throws <see cref="Errors.RemoteWriteException"/> (400/413/415) for bad input. A body forwarded as received is copied into its part.</summary>
    public PreparedWrite Prepare(ReadOnlySpan<byte> body, string? contentType, string? contentEncoding)
    {
        PooledBuffer? copyWhenForwarded = null;
        return Prepare(body, ref copyWhenForwarded, contentType, contentEncoding);
    }

    /// <summary>
    /// As <see cref="Prepare(ReadOnlySpan{byte}, string?, string?)"/>, taking ownership of <paramref name="body"/>
    /// (also when it throws): a body that needs no change becomes the part as it is, without a copy; otherwise it is disposed.
    /// </summary>
    public PreparedWrite Prepare(PooledBuffer body, string? contentType, string? contentEncoding)
    {
        PooledBuffer? owned = body;
        try
        {
            return Prepare(body.Span, ref owned, contentType, contentEncoding);
        }
        finally
        {
            owned?.Dispose();
        }
    }

    // owned: the buffer holding body, handed to the part (and set to null) when the body is forwarded as received.
    private PreparedWrite Prepare(ReadOnlySpan<byte> body, ref PooledBuffer? owned, string? contentType, string? contentEncoding)
    {
        if (body.Length > limits.MaxRequestBytes)
        {
            throw Errors.RemoteWriteException.TooLarge($"body of {body.Length} bytes exceeds the limit of {limits.MaxRequestBytes} bytes");
        }

        var version = RemoteWriteHeaders.Negotiate(contentType, contentEncoding);
        var decoded = SnappyCodec.Decode(body, limits.MaxDecodedBytes);
        var changed = false;
        var scanner = ScannerPool.Rent();
        try
        {
            if (version == RemoteWriteVersion.V2)
            {
                Replace(ref decoded, V2ToV1Converter.Convert(decoded.Span, limits.MaxDecodedBytes));
                changed = true;
            }

            var received = scanner.Scan(decoded.Span);
            if (received.Series > limits.MaxSeriesPerRequest)
            {
                throw Errors.RemoteWriteException.TooLarge($"{received.Series} series exceed the limit of {limits.MaxSeriesPerRequest} per request");
            }

            var dropped = new Dictionary<DropReason, DropCounts>();

            if (relabel is { IsEmpty: false } && RelabelFilter.Apply(decoded.Span, scanner, relabel, limits.MaxDecodedBytes, out var relabelled) is { } rewritten)
            {
                Replace(ref decoded, rewritten);
                scanner.Scan(decoded.Span);
                Add(dropped, DropReason.Relabel, relabelled);
                changed = true;
            }

            var labelFiltered = LabelLimitFilter.Apply(decoded.Span, scanner, limits.LabelLimits, limits.OverLimitLabels, out var overLimit, out var truncated);
            if (labelFiltered is not null)
            {
                Replace(ref decoded, labelFiltered);
                scanner.Scan(decoded.Span);
                Add(dropped, DropReason.LabelLimit, overLimit);
                changed = true;
            }

            if (applyTimeWindow && TimeWindowFilter.ApplyInPlace(ref decoded, scanner, limits, time.GetUtcNow(), out var tooOld, out var tooNew))
            {
                Add(dropped, DropReason.TooOld, tooOld);
                Add(dropped, DropReason.TooNew, tooNew);
                changed = true;
            }

            var parts = new List<EncodedPart>(1);
            if (scanner.Summary.IsEmpty)
            {
                return new PreparedWrite(version, received, parts, dropped, false, truncated);
            }

            watch?.Observe(decoded.Span, scanner);

            if (!changed && body.Length <= _cutAtBytes)
            {
                // The received buffer itself becomes the part: no copy.
                parts.Add(new EncodedPart(owned ?? PooledBuffer.CopyOf(body), scanner.Summary));
                owned = null;
                return new PreparedWrite(version, received, parts, dropped, true, truncated);
            }

            var tooLarge = RequestSplitter.Split(decoded.Span, scanner, _cutAtBytes, changed ? 0 : body.Length, parts);
            Add(dropped, DropReason.TooLarge, new DropCounts(0, tooLarge, 0, 0));
            return new PreparedWrite(version, received, parts, dropped, false, truncated);
        }
        finally
        {
            decoded.Dispose();
            ScannerPool.Return(scanner);
        }
    }

    private static void Replace(ref PooledBuffer current, PooledBuffer next)
    {
        current.Dispose();
        current = next;
    }

    private static void Add(Dictionary<DropReason, DropCounts> dropped, DropReason reason, DropCounts counts)
    {
        if (!counts.IsEmpty)
        {
            dropped[reason] = dropped.TryGetValue(reason, out var existing) ? existing + counts : counts;
        }
    }
}
