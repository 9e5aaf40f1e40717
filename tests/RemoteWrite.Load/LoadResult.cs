using System.Globalization;
using System.Text;

namespace RemoteWrite.Load;

/// <summary>What a run did: answers by status (0 = connection error, -1 = timeout), samples accepted, CPU per process.</summary>
internal sealed record LoadResult(
    IReadOnlyDictionary<int, int> Statuses,
    long SamplesAccepted,
    TimeSpan Elapsed,
    IReadOnlyDictionary<int, TimeSpan?> CpuByPid,
    long AverageBodyBytes)
{
    public string Format()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"answers: {string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"))}");
        text.AppendLine(culture, $"samples accepted: {SamplesAccepted} in {Elapsed.TotalSeconds:0.00} s ({SamplesAccepted / Math.Max(Elapsed.TotalSeconds, 1e-9):0} samples/s), {AverageBodyBytes} bytes per body");
        foreach (var (pid, cpu) in CpuByPid)
        {
            text.AppendLine(cpu is { } used && SamplesAccepted > 0
                ? string.Create(culture, $"pid {pid}: {used.TotalSeconds:0.00} s CPU, {used.TotalNanoseconds / SamplesAccepted:0} ns CPU per sample")
                : $"pid {pid}: no CPU figure (process gone or nothing accepted)");
        }

        return text.ToString();
    }
}
