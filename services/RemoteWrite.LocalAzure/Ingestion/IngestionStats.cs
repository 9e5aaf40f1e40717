using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>Counters of one scope (all, one DCR, one identity). Updated lock-free.</summary>
internal sealed class IngestionCounters
{
    private long _requests;
    private long _accepted;
    private long _bytes;
    private long _samples;
    private long _histograms;
    private long _exemplars;
    private long _droppedOldData;

    [JsonPropertyName("requests")]
    public long Requests => Interlocked.Read(ref _requests);

    [JsonPropertyName("accepted")]
    public long Accepted => Interlocked.Read(ref _accepted);

    [JsonPropertyName("bytes")]
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Samples stored (in window).</summary>
    [JsonPropertyName("samples")]
    public long Samples => Interlocked.Read(ref _samples);

    [JsonPropertyName("histograms")]
    public long Histograms => Interlocked.Read(ref _histograms);

    [JsonPropertyName("exemplars")]
    public long Exemplars => Interlocked.Read(ref _exemplars);

    [JsonPropertyName("droppedOldData")]
    public long DroppedOldData => Interlocked.Read(ref _droppedOldData);

    /// <summary>Refused requests by HTTP status.</summary>
    [JsonPropertyName("rejected")]
    public ConcurrentDictionary<int, long> Rejected { get; } = new();

    public void Accept(long bytes, in WriteSummary summary)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _accepted);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Add(ref _samples, summary.SamplesStored);
        Interlocked.Add(ref _histograms, summary.HistogramsStored);
        Interlocked.Add(ref _exemplars, summary.Exemplars);
        Interlocked.Add(ref _droppedOldData, summary.DroppedOldData);
    }

    public void Reject(int status)
    {
        Interlocked.Increment(ref _requests);
        Rejected.AddOrUpdate(status, 1, (_, n) => n + 1);
    }
}

/// <summary>What arrived, in total, per DCR and per identity (served at <c>/admin/stats</c>).</summary>
internal sealed class IngestionStats
{
    /// <summary>Identity name for requests refused before a token was accepted.</summary>
    public const string Anonymous = "(anonymous)";

    public IngestionCounters Total { get; private set; } = new();

    public ConcurrentDictionary<string, IngestionCounters> ByDcr { get; private set; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentDictionary<string, IngestionCounters> ByIdentity { get; private set; } = new(StringComparer.OrdinalIgnoreCase);

    public void Accept(string dcr, string identity, long bytes, in WriteSummary summary)
    {
        Total.Accept(bytes, summary);
        ByDcr.GetOrAdd(dcr, _ => new()).Accept(bytes, summary);
        ByIdentity.GetOrAdd(identity, _ => new()).Accept(bytes, summary);
    }

    public void Reject(string dcr, string? identity, int status)
    {
        Total.Reject(status);
        ByDcr.GetOrAdd(dcr, _ => new()).Reject(status);
        ByIdentity.GetOrAdd(identity ?? Anonymous, _ => new()).Reject(status);
    }

    public void Reset()
    {
        Total = new();
        ByDcr = new(StringComparer.OrdinalIgnoreCase);
        ByIdentity = new(StringComparer.OrdinalIgnoreCase);
    }
}
