namespace RemoteWrite.Core.Scanning;

/// <summary>Counts and time range of a decoded 1.0 WriteRequest.</summary>
public readonly record struct ScanSummary(
    int Series,
    int Samples,
    int Histograms,
    int Exemplars,
    int Metadata,
    long MinTimestamp,
    long MaxTimestamp)
{
    public static ScanSummary Empty { get; } = new(0, 0, 0, 0, 0, long.MaxValue, long.MinValue);

    /// <summary>True when there are no series and no metadata: nothing to forward.</summary>
    public bool IsEmpty => Series == 0 && Metadata == 0;

    public int Points => Samples + Histograms;
}
