using RemoteWrite.Core.Codec;
using System.Collections.Concurrent;
using System.Text;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>One stored series: labels as first seen, and its newest sample.</summary>
internal sealed class StoredSeries(string labels)
{
    private readonly Lock _gate = new();

    public string Labels { get; } = labels;

    public double LastValue { get; private set; }

    public long LastTimestampMs { get; private set; } = long.MinValue;

    public long Samples { get; private set; }

    public void Update(double value, long timestampMs, long samples)
    {
        lock (_gate)
        {
            Samples += samples;
            if (timestampMs >= LastTimestampMs)
            {
                LastTimestampMs = timestampMs;
                LastValue = value;
            }
        }
    }
}

/// <summary>
/// The series that arrived, keyed by the case-insensitive <see cref="SeriesHash"/>, so series that
/// differ only by case are one (CONTRACT §2). Label text is materialized once per new series.
/// </summary>
internal sealed class SeriesStore
{
    private readonly ConcurrentDictionary<ulong, StoredSeries> _series = new();

    // Exact label bytes (XxHash3) → series: the hot path finds a known spelling without case folding.
    private readonly ConcurrentDictionary<ulong, StoredSeries> _byRawLabels = new();

    public int Count => _series.Count;

    public IEnumerable<StoredSeries> All => _series.Values;

    /// <summary>The series with this case-insensitive identity, created (labels as first seen) when new.</summary>
    public StoredSeries Record(ulong hash, ReadOnlySpan<byte> timeSeries)
    {
        if (!_series.TryGetValue(hash, out var entry))
        {
            entry = _series.GetOrAdd(hash, new StoredSeries(LabelText(timeSeries)));
        }

        return entry;
    }

    public StoredSeries? FindByRawLabels(ulong rawKey) => _byRawLabels.GetValueOrDefault(rawKey);

    public void RememberRawLabels(ulong rawKey, StoredSeries series) => _byRawLabels[rawKey] = series;

    public void Clear()
    {
        _byRawLabels.Clear();
        _series.Clear();
    }

    /// <summary>Prometheus text form: <c>name{a="b",c="d"}</c>.</summary>
    public static string LabelText(ReadOnlySpan<byte> timeSeries)
    {
        var name = "";
        var labels = new StringBuilder();
        var reader = new ProtoReader(timeSeries);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != 1)
            {
                reader.Skip(wireType);
                continue;
            }

            WriteRequestWalker.ReadLabel(reader.ReadLengthDelimited(), out var n, out var v);
            if (n.SequenceEqual("__name__"u8))
            {
                name = Encoding.UTF8.GetString(v);
                continue;
            }

            labels.Append(labels.Length == 0 ? "" : ",").Append(Encoding.UTF8.GetString(n)).Append("=\"")
                .Append(Encoding.UTF8.GetString(v).Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
        }

        return labels.Length == 0 ? name : $"{name}{{{labels}}}";
    }
}
