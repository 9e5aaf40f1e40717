using System.IO.Hashing;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>
/// Walks a decoded remote-write 1.0 <c>WriteRequest</c> (prompb/remote.proto, types.proto; CONTRACT §1)
/// with Core's <see cref="ProtoReader"/>, without materializing it: counts samples, histograms and exemplars, drops those outside the
/// ingestion window, and hands each series' newest in-window sample to the <see cref="SeriesStore"/>.
/// Strings are only made for series the store has not seen.
/// </summary>
internal static class WriteRequestWalker
{
    private static ReadOnlySpan<byte> MetricName => "__name__"u8;

    /// <summary>Validates and walks <paramref name="request"/>; throws 400 when it is not a valid 1.0 WriteRequest.</summary>
    public static WriteSummary Walk(ReadOnlySpan<byte> request, long nowMs, long windowMs, SeriesStore? store)
    {
        var summary = new WriteSummary { MinTimestampMs = long.MaxValue, MaxTimestampMs = long.MinValue };
        var reader = new ProtoReader(request);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireType.LengthDelimited)
            {
                WalkSeries(reader.ReadLengthDelimited(), nowMs, windowMs, store, ref summary);
            }
            else if (field is 1 or 3 && wireType != WireType.LengthDelimited)
            {
                throw ProtoReader.Malformed("WriteRequest field with a wrong wire type");
            }
            else
            {
                // Metadata (3) and unknown fields: protobuf rules say skip.
                reader.Skip(wireType);
            }
        }

        return summary;
    }

    private static void WalkSeries(ReadOnlySpan<byte> series, long nowMs, long windowMs, SeriesStore? store, ref WriteSummary summary)
    {
        summary.Series++;
        var reader = new ProtoReader(series);
        int labelsStart = -1, labelsEnd = -1;
        var labelsContiguous = true;
        var newestTs = long.MinValue;
        var newestValue = 0.0;
        long stored = 0;
        while (true)
        {
            var fieldStart = reader.Position;
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                break;
            }

            if (field is >= 1 and <= 4 && wireType != WireType.LengthDelimited)
            {
                throw ProtoReader.Malformed("WriteRequest field with a wrong wire type");
            }

            switch (field)
            {
                case 1:
                    // Labels are read after the loop, and only for label bytes not seen before.
                    reader.ReadLengthDelimited();
                    labelsContiguous &= labelsEnd < 0 || labelsEnd == fieldStart;
                    labelsStart = labelsStart < 0 ? fieldStart : labelsStart;
                    labelsEnd = reader.Position;
                    break;
                case 2:
                    ReadSample(reader.ReadLengthDelimited(), out var sampleValue, out var ts);
                    summary.Samples++;
                    Track(ref summary, ts);
                    if (Math.Abs(ts - nowMs) > windowMs)
                    {
                        summary.DroppedOldData++;
                        break;
                    }

                    stored++;
                    if (ts >= newestTs)
                    {
                        newestTs = ts;
                        newestValue = sampleValue;
                    }

                    break;
                case 3:
                    reader.ReadLengthDelimited();
                    summary.Exemplars++;
                    break;
                case 4:
                    var histogramTs = ReadHistogramTimestamp(reader.ReadLengthDelimited());
                    summary.Histograms++;
                    Track(ref summary, histogramTs);
                    if (Math.Abs(histogramTs - nowMs) > windowMs)
                    {
                        summary.DroppedOldData++;
                    }
                    else
                    {
                        summary.HistogramsStored++;
                    }

                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        summary.SamplesStored += stored;

        // The exact label bytes were checked when first seen: a repeat skips parsing and case folding.
        var rawLabels = labelsContiguous && labelsStart >= 0 ? series[labelsStart..labelsEnd] : default;
        var rawKey = rawLabels.IsEmpty ? 0 : XxHash3.HashToUInt64(rawLabels);
        var known = rawLabels.IsEmpty ? null : store?.FindByRawLabels(rawKey);
        if (known is null)
        {
            var identity = CheckLabels(series);
            if (store is not null && stored > 0)
            {
                known = store.Record(identity, series);
                if (!rawLabels.IsEmpty)
                {
                    store.RememberRawLabels(rawKey, known);
                }
            }
        }

        if (stored > 0)
        {
            known?.Update(newestValue, newestTs, stored);
        }
    }

    // Validates the labels and returns the case-insensitive identity of the series.
    private static ulong CheckLabels(ReadOnlySpan<byte> series)
    {
        ulong labelSum = 0;
        var labelCount = 0;
        var hasName = false;
        var reader = new ProtoReader(series);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != 1)
            {
                reader.Skip(wireType);
                continue;
            }

            var label = reader.ReadLengthDelimited();
            ReadLabel(label, out var name, out var value);
            if (name.IsEmpty)
            {
                throw RemoteWriteException.Invalid("label with an empty name");
            }

            hasName |= name.SequenceEqual(MetricName);
            labelSum += SeriesHash.OfLabelMessage(label, name, value);
            labelCount++;
        }

        // CONTRACT §1: every series has __name__.
        if (!hasName)
        {
            throw RemoteWriteException.Invalid("series without __name__");
        }

        return SeriesHash.Combine(labelSum, labelCount);
    }

    private static void Track(ref WriteSummary summary, long ts)
    {
        summary.MinTimestampMs = Math.Min(summary.MinTimestampMs, ts);
        summary.MaxTimestampMs = Math.Max(summary.MaxTimestampMs, ts);
    }

    public static void ReadLabel(ReadOnlySpan<byte> label, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = default;
        value = default;
        var reader = new ProtoReader(label);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireType.LengthDelimited)
            {
                name = reader.ReadLengthDelimited();
            }
            else if (field == 2 && wireType == WireType.LengthDelimited)
            {
                value = reader.ReadLengthDelimited();
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }

    private static void ReadSample(ReadOnlySpan<byte> sample, out double value, out long timestamp)
    {
        value = 0;
        timestamp = 0;
        var reader = new ProtoReader(sample);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireType.Fixed64)
            {
                value = reader.ReadDouble();
            }
            else if (field == 2 && wireType == WireType.Varint)
            {
                timestamp = (long)reader.ReadVarint();
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }

    // Histogram.timestamp is field 15 (int64) in prompb/types.proto.
    private static long ReadHistogramTimestamp(ReadOnlySpan<byte> histogram)
    {
        long timestamp = 0;
        var reader = new ProtoReader(histogram);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 15 && wireType == WireType.Varint)
            {
                timestamp = (long)reader.ReadVarint();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return timestamp;
    }
}
