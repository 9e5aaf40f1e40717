namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>What one remote-write 1.0 body held and what of it was stored.</summary>
internal struct WriteSummary
{
    public int Series;
    public long Samples;
    public long SamplesStored;
    public long Histograms;
    public long HistogramsStored;
    public long Exemplars;

    /// <summary>Samples and histograms outside the ±window: Azure drops them silently as OldData (CONTRACT §2).</summary>
    public long DroppedOldData;

    public long MinTimestampMs;
    public long MaxTimestampMs;
}
