using System.Globalization;
using System.Text;

namespace RemoteWrite.Load;

/// <summary>
/// What a run did: answers by status (0 = connection error, -1 = timeout), samples accepted, CPU per process,
/// and the latency of every 2xx answer (from sending the request to its answer, as the client sees it).
/// </summary>
internal sealed record LoadResult(
    IReadOnlyDictionary<int, int> Statuses,
    long SamplesAccepted,
    TimeSpan Elapsed,
    IReadOnlyDictionary<int, TimeSpan?> CpuByPid,
    long AverageBodyBytes,
    IReadOnlyList<TimeSpan> Latencies)
{
    /// <summary>Requests answered 2xx.</summary>
    public int Accepted => Statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);

    /// <summary>Requests answered anything else (refused, failed or timed out).</summary>
    public int NotAccepted => Statuses.Where(s => s.Key is not (>= 200 and < 300)).Sum(s => s.Value);

    /// <summary>The latency below which <paramref name="percent"/> % of 2xx answers came (nearest rank); zero when none came.</summary>
    public TimeSpan LatencyPercentile(double percent)
    {
        if (Latencies.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var sorted = Latencies.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public string Format()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"answers: {string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"))}");
        text.AppendLine(culture, $"samples accepted: {SamplesAccepted} in {Elapsed.TotalSeconds:0.00} s ({SamplesAccepted / Math.Max(Elapsed.TotalSeconds, 1e-9):0} samples/s), {AverageBodyBytes} bytes per body");
        text.AppendLine(culture, $"latency of 2xx answers: p50 {LatencyPercentile(50).TotalMilliseconds:0.0} ms, p99 {LatencyPercentile(99).TotalMilliseconds:0.0} ms");
        foreach (var (pid, cpu) in CpuByPid)
        {
            text.AppendLine(cpu is { } used && SamplesAccepted > 0
                ? string.Create(culture, $"pid {pid}: {used.TotalSeconds:0.00} s CPU, {used.TotalNanoseconds / SamplesAccepted:0} ns CPU per sample")
                : $"pid {pid}: no CPU figure (process gone or nothing accepted)");
        }

        return text.ToString();
    }
}
