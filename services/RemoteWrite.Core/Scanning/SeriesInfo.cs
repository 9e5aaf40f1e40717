namespace RemoteWrite.Core.Scanning;

/// <summary>
/// Where one top-level <c>timeseries</c> field of a decoded 1.0 WriteRequest sits, and what it holds.
/// <see cref="Start"/>/<see cref="Length"/> cover the whole field (tag, length prefix and message),
/// so the bytes can be copied into another WriteRequest as they are.
/// </summary>
public readonly record struct SeriesInfo(
    int Start,
    int Length,
    int BodyOffset,
    int LabelCount,
    int Samples,
    int Histograms,
    int Exemplars,
    long MinTimestamp,
    long MaxTimestamp,
    int MaxLabelNameBytes,
    int MaxLabelValueBytes)
{
    /// <summary>Samples plus histograms: the data points Azure counts as events.</summary>
    public int Points => Samples + Histograms;

    public ReadOnlySpan<byte> Field(ReadOnlySpan<byte> request) => request.Slice(Start, Length);

    public ReadOnlySpan<byte> Body(ReadOnlySpan<byte> request) => request.Slice(BodyOffset, Start + Length - BodyOffset);
}
