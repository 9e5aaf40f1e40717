using RemoteWrite.LocalAzure.Protocol;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>
/// Walks a remote-write 1.0 <c>WriteRequest</c> (prompb/remote.proto, types.proto; CONTRACT §1) parsed
/// by the stand-in's own <see cref="IngestionDecoder"/>: counts samples, histograms and exemplars, drops
/// those outside the ingestion window, and hands each series' newest in-window sample to the
/// <see cref="SeriesStore"/>. Every series' labels are checked before anything is stored, so a
/// refused body leaves no trace.
/// </summary>
internal static class WriteRequestWalker
{
    private const string MetricName = "__name__";

    /// <summary>Parses and walks a decoded body; throws 400 when it is not a valid 1.0 WriteRequest.</summary>
    public static WriteSummary Walk(ReadOnlySpan<byte> request, long nowMs, long windowMs, SeriesStore? store) =>
        Walk(IngestionDecoder.Parse(request), nowMs, windowMs, store);

    /// <summary>Validates and walks <paramref name="request"/>; throws 400 when a series breaks a label rule.</summary>
    public static WriteSummary Walk(WriteRequest request, long nowMs, long windowMs, SeriesStore? store)
    {
        var all = request.Timeseries;
        var identities = new ulong[all.Count];
        for (var i = 0; i < all.Count; i++)
        {
            identities[i] = CheckLabels(all[i]);
        }

        var summary = new WriteSummary { MinTimestampMs = long.MaxValue, MaxTimestampMs = long.MinValue };
        for (var i = 0; i < all.Count; i++)
        {
            WalkSeries(all[i], identities[i], nowMs, windowMs, store, ref summary);
        }

        return summary;
    }

    private static void WalkSeries(TimeSeries series, ulong identity, long nowMs, long windowMs, SeriesStore? store, ref WriteSummary summary)
    {
        summary.Series++;
        var newestTs = long.MinValue;
        var newestValue = 0.0;
        long stored = 0;
        foreach (var sample in series.Samples)
        {
            summary.Samples++;
            Track(ref summary, sample.Timestamp);
            if (Math.Abs(sample.Timestamp - nowMs) > windowMs)
            {
                summary.DroppedOldData++;
                continue;
            }

            stored++;
            if (sample.Timestamp >= newestTs)
            {
                newestTs = sample.Timestamp;
                newestValue = sample.Value;
            }
        }

        summary.Exemplars += series.Exemplars.Count;
        foreach (var histogram in series.Histograms)
        {
            summary.Histograms++;
            Track(ref summary, histogram.Timestamp);
            if (Math.Abs(histogram.Timestamp - nowMs) > windowMs)
            {
                summary.DroppedOldData++;
            }
            else
            {
                summary.HistogramsStored++;
            }
        }

        summary.SamplesStored += stored;
        if (store is not null && stored > 0)
        {
            store.Record(identity, series).Update(newestValue, newestTs, stored);
        }
    }

    // Validates the labels and returns the case-insensitive identity of the series.
    private static ulong CheckLabels(TimeSeries series)
    {
        ulong labelSum = 0;
        var hasName = false;
        foreach (var label in series.Labels)
        {
            if (label.Name.Length == 0)
            {
                throw IngestionException.Invalid("label with an empty name");
            }

            hasName |= label.Name == MetricName;
            labelSum += SeriesHash.OfLabel(label.Name, label.Value);
        }

        // CONTRACT §1: every series has __name__.
        if (!hasName)
        {
            throw IngestionException.Invalid("series without __name__");
        }

        return SeriesHash.Combine(labelSum, series.Labels.Count);
    }

    private static void Track(ref WriteSummary summary, long ts)
    {
        summary.MinTimestampMs = Math.Min(summary.MinTimestampMs, ts);
        summary.MaxTimestampMs = Math.Max(summary.MaxTimestampMs, ts);
    }
}
