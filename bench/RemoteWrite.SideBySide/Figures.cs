namespace RemoteWrite.SideBySide;

/// <summary>
/// One row of the table: a contender's medians over the interleaved rounds of one load. Saturation gives
/// CPU per sample and samples/s; the fixed-rate rounds (half the slower relay's saturation rate) give the
/// latencies. <see cref="AddedP99"/> is the p99 minus the same fixed-rate load's p99 sent straight to the sink.
/// </summary>
internal sealed record Figures(
    Workload Workload,
    string Contender,
    double? NanosecondsPerSample,
    double? SamplesPerSecond,
    TimeSpan P50,
    TimeSpan P99,
    TimeSpan? AddedP99,
    long? PeakRssBytes,
    long Lost,
    int NotAccepted,
    long SinkRefused,
    long BodyBytes)
{
    public static double? Median(IEnumerable<double?> values)
    {
        var known = values.Where(v => v.HasValue).Select(v => v!.Value).Order().ToArray();
        return known.Length == 0 ? null : known.Length % 2 == 1 ? known[known.Length / 2] : (known[(known.Length / 2) - 1] + known[known.Length / 2]) / 2;
    }

    public static TimeSpan Median(IEnumerable<TimeSpan> values) =>
        TimeSpan.FromTicks((long)(Median(values.Select(v => (double?)v.Ticks)) ?? 0));
}
