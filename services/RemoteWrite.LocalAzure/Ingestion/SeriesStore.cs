using System.Collections.Concurrent;
using System.Text;
using RemoteWrite.LocalAzure.Protocol;

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
/// differ only by case are one (CONTRACT §2). Label text is made once per new series.
/// </summary>
internal sealed class SeriesStore
{
    private readonly ConcurrentDictionary<ulong, StoredSeries> _series = new();

    public int Count => _series.Count;

    public IEnumerable<StoredSeries> All => _series.Values;

    /// <summary>The series with this case-insensitive identity, created (labels as first seen) when new.</summary>
    public StoredSeries Record(ulong hash, TimeSeries timeSeries)
    {
        if (!_series.TryGetValue(hash, out var entry))
        {
            entry = _series.GetOrAdd(hash, new StoredSeries(LabelText(timeSeries)));
        }

        return entry;
    }

    public void Clear() => _series.Clear();

    /// <summary>Prometheus text form: <c>name{a="b",c="d"}</c>.</summary>
    public static string LabelText(TimeSeries timeSeries)
    {
        var name = "";
        var labels = new StringBuilder();
        foreach (var label in timeSeries.Labels)
        {
            if (label.Name == "__name__")
            {
                name = label.Value;
                continue;
            }

            labels.Append(labels.Length == 0 ? "" : ",").Append(label.Name).Append("=\"")
                .Append(label.Value.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
        }

        return labels.Length == 0 ? name : $"{name}{{{labels}}}";
    }
}
