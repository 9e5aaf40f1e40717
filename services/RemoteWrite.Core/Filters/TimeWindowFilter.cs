using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Filters;

/// <summary>
/// Drops samples, histograms and exemplars outside [<c>minTimestamp</c>, <c>maxTimestamp</c>]
/// (milliseconds). Azure accepts only data within ±20 minutes of ingestion and drops the rest
/// silently (CONTRACT.md §2); dropping here makes the loss visible and counted. Re-encodes
/// only when something falls outside; otherwise returns null and the body is used as it is.
/// </summary>
public static class TimeWindowFilter
{
    /// <summary>
    /// Applies the window of <paramref name="limits"/> at <paramref name="now"/> to <paramref name="decoded"/>:
    /// when something falls outside, the buffer is replaced by the filtered one and scanned again.
    /// Returns true when it changed.
    /// </summary>
    public static bool ApplyInPlace(ref PooledBuffer decoded, WriteRequestScanner scan, Pipeline.WriteLimits limits, DateTimeOffset now, out DropCounts tooOld, out DropCounts tooNew)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var filtered = Apply(
            decoded.Span,
            scan,
            nowMs - (long)limits.MaxSampleAge.TotalMilliseconds,
            nowMs + (long)limits.MaxFutureSkew.TotalMilliseconds,
            out tooOld,
            out tooNew);
        if (filtered is null)
        {
            return false;
        }

        decoded.Dispose();
        decoded = filtered;
        scan.Scan(decoded.Span);
        return true;
    }

    public static PooledBuffer? Apply(ReadOnlySpan<byte> request, WriteRequestScanner scan, long minTimestamp, long maxTimestamp, out DropCounts tooOld, out DropCounts tooNew)
    {
        tooOld = default;
        tooNew = default;
        var summary = scan.Summary;
        if (summary.Points == 0 || (summary.MinTimestamp >= minTimestamp && summary.MaxTimestamp <= maxTimestamp))
        {
            return null;
        }

        var writer = new PooledBufferWriter(request.Length + 16);
        try
        {
            foreach (ref readonly var series in scan.Series)
            {
                if (series.Points == 0 || (series.MinTimestamp >= minTimestamp && series.MaxTimestamp <= maxTimestamp))
                {
                    writer.Write(series.Field(request));
                    continue;
                }

                RewriteSeries(series.Body(request), minTimestamp, maxTimestamp, writer, ref tooOld, ref tooNew);
            }

            foreach (ref readonly var metadata in scan.Metadata)
            {
                writer.Write(metadata.Field(request));
            }

            return writer.Detach();
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static void RewriteSeries(ReadOnlySpan<byte> body, long min, long max, PooledBufferWriter writer, ref DropCounts tooOld, ref DropCounts tooNew)
    {
        // First pass: what stays, and its size.
        int size = 0, keptPoints = 0;
        DropCounts old = default, future = default;
        var reader = new ProtoReader(body);
        while (reader.TryReadField(out var field, out var whole))
        {
            var verdict = Classify(whole, field, min, max);
            if (verdict == 0)
            {
                size += whole.Length;
                keptPoints += field is 2 or 4 ? 1 : 0;
            }
            else
            {
                ref var counts = ref verdict < 0 ? ref old : ref future;
                counts = counts + field switch
                {
                    2 => new DropCounts(0, 1, 0, 0),
                    4 => new DropCounts(0, 0, 1, 0),
                    _ => new DropCounts(0, 0, 0, 1),
                };
            }
        }

        if (keptPoints == 0)
        {
            // Nothing left to send: the whole series goes, counted under the reason of most of its points.
            if (old.Points >= future.Points)
            {
                old = old with { Series = 1 };
            }
            else
            {
                future = future with { Series = 1 };
            }

            tooOld += old;
            tooNew += future;
            return;
        }

        tooOld += old;
        tooNew += future;
        ProtoWriter.WriteLengthPrefix(writer, 1, size);
        reader = new ProtoReader(body);
        while (reader.TryReadField(out var field, out var whole))
        {
            if (Classify(whole, field, min, max) == 0)
            {
                writer.Write(whole);
            }
        }
    }

    // -1 too old, +1 too new, 0 keep (labels and unknown fields are always kept).
    private static int Classify(ReadOnlySpan<byte> whole, int field, long min, long max)
    {
        if (field is not (2 or 3 or 4))
        {
            return 0;
        }

        var payload = ProtoReader.PayloadOf(whole);
        var timestamp = field switch
        {
            2 => WriteRequestScanner.ReadSampleTimestamp(payload),
            4 => WriteRequestScanner.ReadHistogramTimestamp(payload),
            _ => ReadExemplarTimestamp(payload),
        };
        if (field == 3 && timestamp == 0)
        {
            // An exemplar without a timestamp belongs to its sample: keep it.
            return 0;
        }

        return timestamp < min ? -1 : timestamp > max ? 1 : 0;
    }

    private static long ReadExemplarTimestamp(ReadOnlySpan<byte> exemplar)
    {
        long timestamp = 0;
        var reader = new ProtoReader(exemplar);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 3 && wireType == WireType.Varint)
            {
                timestamp = reader.ReadInt64();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return timestamp;
    }
}
