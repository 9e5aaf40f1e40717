namespace RemoteWrite.Core.Filters;

/// <summary>What a filter took out of a request.</summary>
public readonly record struct DropCounts(int Series, int Samples, int Histograms, int Exemplars)
{
    public int Points => Samples + Histograms;

    public bool IsEmpty => Series == 0 && Samples == 0 && Histograms == 0 && Exemplars == 0;

    public static DropCounts operator +(DropCounts a, DropCounts b) =>
        new(a.Series + b.Series, a.Samples + b.Samples, a.Histograms + b.Histograms, a.Exemplars + b.Exemplars);
}
