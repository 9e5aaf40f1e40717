using System.Buffers;
using System.Text;
using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// Applies relabel rules to every series of a decoded 1.0 WriteRequest: a dropped series goes
/// (counted), a changed one gets its new labels, sorted, followed by its samples, exemplars and
/// histograms byte for byte as received; metadata is kept. Exemplar labels are not relabelled
/// (Prometheus does not either). Series whose label sets become equal stay separate series: Azure
/// merges them as Prometheus' own storage would. Returns null when no series changed, as the other
/// filters do, so an unchanged body is forwarded as it is.
/// </summary>
public static class RelabelFilter
{
    private const string NameLabel = "__name__";

    public static PooledBuffer? Apply(ReadOnlySpan<byte> request, WriteRequestScanner scan, RelabelRules rules, int maxBytes, out DropCounts dropped)
    {
        dropped = default;
        PooledBufferWriter? writer = null;
        using var labels = new RelabelLabels();
        var order = ArrayPool<int>.Shared.Rent(64);
        try
        {
            var series = scan.Series;
            for (var i = 0; i < series.Length; i++)
            {
                ref readonly var info = ref series[i];
                var body = info.Body(request);
                Load(body, labels);
                // A remote-write series needs a __name__: one left without it is dropped (Prometheus 2.x
                // dropped series left with no labels at all; 3.x would send them, and Azure refuse them).
                var keep = rules.Apply(labels) && labels.IndexOf(NameLabel) >= 0;
                if (keep && !labels.Changed)
                {
                    writer?.Write(info.Field(request));
                    continue;
                }

                if (writer is null)
                {
                    // First change: copy the series before it as they were.
                    writer = new PooledBufferWriter(request.Length + 256, maxBytes);
                    for (var j = 0; j < i; j++)
                    {
                        writer.Write(series[j].Field(request));
                    }
                }

                if (!keep)
                {
                    dropped += new DropCounts(1, info.Samples, info.Histograms, info.Exemplars);
                    continue;
                }

                if (order.Length < labels.Count)
                {
                    ArrayPool<int>.Shared.Return(order);
                    order = ArrayPool<int>.Shared.Rent(labels.Count);
                }

                WriteSeries(writer, body, labels, order.AsSpan(0, labels.Count));
            }

            if (writer is null)
            {
                return null;
            }

            foreach (ref readonly var metadata in scan.Metadata)
            {
                writer.Write(metadata.Field(request));
            }

            return writer.Detach();
        }
        finally
        {
            writer?.Dispose();
            ArrayPool<int>.Shared.Return(order);
        }
    }

    private static void Load(ReadOnlySpan<byte> body, RelabelLabels labels)
    {
        labels.Clear();
        var reader = new ProtoReader(body);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != 1)
            {
                reader.Skip(wireType);
                continue;
            }

            // The scanner has validated the body: labels are well formed UTF-8.
            WriteRequestScanner.ReadLabelBytes(reader.ReadLengthDelimited(), out var name, out var value);
            labels.AddUtf8(name, value);
        }
    }

    private static void WriteSeries(PooledBufferWriter writer, ReadOnlySpan<byte> body, RelabelLabels labels, Span<int> order)
    {
        labels.SortedOrder(order);
        var size = 0;
        foreach (var i in order)
        {
            size += ProtoWriter.LengthDelimitedSize(1, LabelSize(labels, i));
        }

        var reader = new ProtoReader(body);
        while (reader.TryReadField(out var field, out var whole))
        {
            size += field == 1 ? 0 : whole.Length;
        }

        ProtoWriter.WriteLengthPrefix(writer, 1, size);
        foreach (var i in order)
        {
            ProtoWriter.WriteLengthPrefix(writer, 1, LabelSize(labels, i));
            WriteString(writer, 1, labels.NameAt(i));
            WriteString(writer, 2, labels.ValueAt(i));
        }

        reader = new ProtoReader(body);
        while (reader.TryReadField(out var field, out var whole))
        {
            if (field != 1)
            {
                writer.Write(whole);
            }
        }
    }

    private static int LabelSize(RelabelLabels labels, int i) =>
        ProtoWriter.LengthDelimitedSize(1, Encoding.UTF8.GetByteCount(labels.NameAt(i)))
        + ProtoWriter.LengthDelimitedSize(2, Encoding.UTF8.GetByteCount(labels.ValueAt(i)));

    private static void WriteString(PooledBufferWriter writer, int field, ReadOnlySpan<char> text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        ProtoWriter.WriteLengthPrefix(writer, field, length);
        writer.Advance(Encoding.UTF8.GetBytes(text, writer.GetSpan(length)));
    }
}
