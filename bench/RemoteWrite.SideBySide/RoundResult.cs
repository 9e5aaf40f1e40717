namespace RemoteWrite.SideBySide;

/// <summary>
/// One round of one load at one contender: samples answered 2xx (<paramref name="Acked"/>) and counted by the
/// sink (<paramref name="Delivered"/>), from the first request until the sink held them all
/// (<paramref name="Elapsed"/>: for vmagent, which answers before it sends, this includes its flush),
/// the contender's CPU in that time, and the client-observed latency of its 2xx answers.
/// </summary>
internal sealed record RoundResult(
    long Acked,
    long Delivered,
    TimeSpan Elapsed,
    TimeSpan? Cpu,
    TimeSpan P50,
    TimeSpan P99,
    int NotAccepted,
    long SinkRefused,
    long AverageBodyBytes)
{
    /// <summary>Samples answered 2xx that the sink never counted (negative: counted twice).</summary>
    public long Lost => Acked - Delivered;

    public double SamplesPerSecond => Delivered / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double? NanosecondsPerSample => Cpu is { } cpu && Delivered > 0 ? cpu.TotalNanoseconds / Delivered : null;
}
