using System.Buffers;
using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Batching;

/// <summary>
/// Cuts a decoded 1.0 WriteRequest into snappy bodies of at most <c>maxCompressedBytes</c> each,
/// at series boundaries (two WriteRequests concatenated are one WriteRequest, so series bytes are
/// copied as they are). A part that compresses too large is halved until it fits, as
/// VictoriaMetrics' vmagent does; one series too large on its own is cut by its samples,
/// histograms and exemplars. Nothing is lost or repeated, except a single data point that cannot
/// fit even alone, which is dropped and counted.
/// </summary>
public static class RequestSplitter
{
    /// <summary>Azure Monitor's request limit: 1,048,576 bytes of compressed body (CONTRACT.md §2).</summary>
    public const int AzureMaxBytes = 1_048_576;

    /// <summary>
    /// Splits <paramref name="request"/> (indexed by <paramref name="scan"/>) into <paramref name="parts"/>.
    /// <paramref name="compressedSizeHint"/> (the size of the body as received, 0 if unknown) sizes the first cut.
    /// Returns the number of data points dropped because one alone exceeds the limit.
    /// </summary>
    public static int Split(ReadOnlySpan<byte> request, WriteRequestScanner scan, int maxCompressedBytes, int compressedSizeHint, List<EncodedPart> parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCompressedBytes, 64);
        var series = scan.Series;
        var metadata = scan.Metadata;
        if (series.IsEmpty && metadata.IsEmpty)
        {
            return 0;
        }

        // Guess how many decoded bytes compress to the limit; a wrong guess only costs a halving.
        var ratio = compressedSizeHint > 0 && request.Length > 0 ? (double)request.Length / compressedSizeHint : 2.0;
        var target = (long)(maxCompressedBytes * Math.Max(ratio, 1.0) * 0.8);

        using var writer = new PooledBufferWriter(Math.Min(request.Length, (int)Math.Min(target, int.MaxValue)) + 64);
        var dropped = 0;

        // Metadata entries are small: they ride with the first part, or alone when there are no series.
        var first = true;
        var groupStart = 0;
        long groupBytes = 0;
        for (var i = 0; i < series.Length; i++)
        {
            if (i > groupStart && groupBytes + series[i].Length > target)
            {
                dropped += EmitSeries(request, series[groupStart..i], first ? metadata : default, maxCompressedBytes, writer, parts);
                first = false;
                groupStart = i;
                groupBytes = 0;
            }

            groupBytes += series[i].Length;
        }

        dropped += EmitSeries(request, series[groupStart..], first ? metadata : default, maxCompressedBytes, writer, parts);
        return dropped;
    }

    // Encodes the group; halves it while it is too large.
    private static int EmitSeries(ReadOnlySpan<byte> request, ReadOnlySpan<SeriesInfo> group, ReadOnlySpan<FieldRange> metadata, int max, PooledBufferWriter writer, List<EncodedPart> parts)
    {
        if (group.IsEmpty && metadata.IsEmpty)
        {
            return 0;
        }

        int samples = 0, histograms = 0, exemplars = 0;
        long min = long.MaxValue, maxTs = long.MinValue;
        long bytes = 0;
        foreach (ref readonly var s in group)
        {
            bytes += s.Length;
            samples += s.Samples;
            histograms += s.Histograms;
            exemplars += s.Exemplars;
            min = Math.Min(min, s.MinTimestamp);
            maxTs = Math.Max(maxTs, s.MaxTimestamp);
        }

        // Series lie one after another in the request: a group without metadata whose series are
        // adjacent is compressed where it lies, without copying it first.
        ReadOnlySpan<byte> decoded;
        if (metadata.IsEmpty && !group.IsEmpty && group[^1].Start + group[^1].Length - group[0].Start == bytes)
        {
            decoded = request.Slice(group[0].Start, (int)bytes);
        }
        else
        {
            writer.Clear();
            foreach (ref readonly var s in group)
            {
                writer.Write(s.Field(request));
            }

            foreach (ref readonly var m in metadata)
            {
                writer.Write(m.Field(request));
            }

            decoded = writer.WrittenSpan;
        }

        var compressed = SnappyCodec.Encode(decoded);
        if (compressed.Length <= max || (group.Length <= 1 && metadata.IsEmpty) || (group.IsEmpty && metadata.Length <= 1))
        {
            if (compressed.Length <= max)
            {
                parts.Add(new EncodedPart(compressed, new ScanSummary(group.Length, samples, histograms, exemplars, metadata.Length, min, maxTs)));
                return 0;
            }

            compressed.Dispose();
            if (group.Length == 1)
            {
                return SplitOneSeries(request, group[0], max, parts);
            }

            // A lone metadata entry over the limit cannot be sent; it carries no samples.
            return 0;
        }

        compressed.Dispose();
        if (group.Length > 1)
        {
            var half = group.Length / 2;
            return EmitSeries(request, group[..half], metadata, max, writer, parts)
                + EmitSeries(request, group[half..], default, max, writer, parts);
        }

        // One series (or none) plus metadata: send them apart.
        var dropped = group.IsEmpty ? 0 : EmitSeries(request, group, default, max, writer, parts);
        var mid = metadata.Length / 2;
        dropped += EmitSeries(request, default, metadata[..mid], max, writer, parts);
        dropped += EmitSeries(request, default, metadata[mid..], max, writer, parts);
        return dropped;
    }

    /// <summary>Cuts one series into several, each with the series' labels and a share of its points.</summary>
    private static int SplitOneSeries(ReadOnlySpan<byte> request, SeriesInfo series, int max, List<EncodedPart> parts)
    {
        var body = series.Body(request);
        var items = ArrayPool<Item>.Shared.Rent(Math.Max(series.Samples + series.Histograms + series.Exemplars, 1));
        using var labels = new PooledBufferWriter(256);
        try
        {
            var count = 0;
            var reader = new ProtoReader(body);
            while (reader.TryReadField(out var field, out var whole))
            {
                var start = reader.Position - whole.Length;
                if (field == 1)
                {
                    labels.Write(whole);
                }
                else if (field is 2 or 3 or 4)
                {
                    var ts = field switch
                    {
                        2 => WriteRequestScanner.ReadSampleTimestamp(ProtoReader.PayloadOf(whole)),
                        4 => WriteRequestScanner.ReadHistogramTimestamp(ProtoReader.PayloadOf(whole)),
                        _ => 0,
                    };
                    items[count++] = new Item(start, whole.Length, field, ts);
                }
            }

            using var writer = new PooledBufferWriter(Math.Min(body.Length, max * 4) + 64);
            return EmitItems(body, labels.WrittenSpan, items.AsSpan(0, count), max, writer, parts);
        }
        finally
        {
            ArrayPool<Item>.Shared.Return(items);
        }
    }

    private static int EmitItems(ReadOnlySpan<byte> body, ReadOnlySpan<byte> labels, ReadOnlySpan<Item> items, int max, PooledBufferWriter writer, List<EncodedPart> parts)
    {
        if (items.IsEmpty)
        {
            return 0;
        }

        var length = labels.Length;
        int samples = 0, histograms = 0, exemplars = 0;
        long min = long.MaxValue, maxTs = long.MinValue;
        foreach (ref readonly var item in items)
        {
            length += item.Length;
            switch (item.Field)
            {
                case 2:
                    samples++;
                    break;
                case 4:
                    histograms++;
                    break;
                default:
                    exemplars++;
                    break;
            }

            if (item.Field != 3)
            {
                min = Math.Min(min, item.Timestamp);
                maxTs = Math.Max(maxTs, item.Timestamp);
            }
        }

        writer.Clear();
        ProtoWriter.WriteLengthPrefix(writer, 1, length);
        writer.Write(labels);
        foreach (ref readonly var item in items)
        {
            writer.Write(body.Slice(item.Start, item.Length));
        }

        var compressed = SnappyCodec.Encode(writer.WrittenSpan);
        if (compressed.Length <= max)
        {
            parts.Add(new EncodedPart(compressed, new ScanSummary(1, samples, histograms, exemplars, 0, min, maxTs)));
            return 0;
        }

        compressed.Dispose();
        if (items.Length == 1)
        {
            // One data point whose labels alone exceed the limit: it can never be sent.
            return item0IsPoint(items[0]) ? 1 : 0;
        }

        var half = items.Length / 2;
        return EmitItems(body, labels, items[..half], max, writer, parts)
            + EmitItems(body, labels, items[half..], max, writer, parts);

        static bool item0IsPoint(Item item) => item.Field != 3;
    }


    private readonly record struct Item(int Start, int Length, int Field, long Timestamp);
}
