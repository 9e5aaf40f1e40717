using System.Globalization;
using System.Text;

namespace RemoteWrite.SideBySide;

/// <summary>The report as Markdown: the machine and run facts, one table row per load and contender, what each column means.</summary>
internal static class MarkdownTable
{
    public static string Render(BenchReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Side-by-side run of {report.StartedUtc:yyyy-MM-dd HH:mm} UTC, commit {report.Commit}, {(report.Options.Short ? "short mode" : "full mode")}: "
            + $"{report.Options.Rounds} interleaved round(s) of {report.Options.RoundDuration.TotalSeconds:0.#} s per load and contender, {report.Duration.TotalSeconds:0} s in all.");
        if (report.Options.RelayEnvironment.Count > 0)
        {
            text.AppendLine(c, $"Relay settings over its defaults: {string.Join(", ", report.Options.RelayEnvironment.Select(e => $"`{e.Key}={e.Value}`"))}.");
        }

        text.AppendLine(c, $"Machine: {report.Machine.Cores} cores, {report.Machine.CpuModel}; load average {report.LoadAverageAtStart} at start, {report.LoadAverageAtEnd} at end (sink, relays and load generator share the cores).");
        text.AppendLine();
        text.AppendLine("| load | contender | CPU per sample | × vmagent | samples/s | × vmagent | p50 | p99 | p99 added | peak RSS | lost | not 2xx |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in report.Rows)
        {
            var vmagent = report.VmagentOf(row.Workload);
            var isRelay = row.Contender == Contender.Relay;
            text.AppendLine(c,
                $"| {row.Workload.Name} ({Kilobytes(row.BodyBytes)}) | {row.Contender} | {Micro(row.NanosecondsPerSample)} | {(isRelay ? Ratio(row.NanosecondsPerSample, vmagent?.NanosecondsPerSample) : "")} "
                + $"| {Millions(row.SamplesPerSecond)} | {(isRelay ? Ratio(row.SamplesPerSecond, vmagent?.SamplesPerSecond) : "")} "
                + $"| {Ms(row.P50)} | {Ms(row.P99)} | {(row.Contender == Contender.Sink ? "" : row.AddedP99 is { } added ? Ms(added) : "—")} | {Megabytes(row.PeakRssBytes)} | {row.Lost:N0} | {row.NotAccepted + row.SinkRefused:N0} |");
        }

        text.AppendLine();
        text.AppendLine("CPU per sample: the process' utime + stime (/proc/PID/stat) from a saturation round's first request until the sink counted all it had answered 2xx, over the samples the sink counted. "
            + "samples/s: samples counted by the sink over that time (vmagent answers before it sends, so its flush is included). "
            + "p50/p99: client-observed, from sending a request to its 2xx answer, at a fixed rate of half the slower relay's saturation rate; "
            + "p99 added: minus the p99 of the same load sent straight to the sink (the *sink alone* row; none for bodies over 1 MiB, which Azure and the sink refuse). "
            + "peak RSS: VmHWM (/proc/PID/status), reset before each load's rounds (vmagent: a fresh process per load; the relay: one process for the run, warmed once, loads in growing size, so memory its runtime kept from an earlier load counts). lost: samples answered 2xx that the sink never counted, over all rounds. "
            + "not 2xx: requests not answered 2xx (the relay's admission budget answers 503) plus requests the sink refused. "
            + "Medians over the rounds; vmagent takes remote-write 1.0 only, so 2.0 has no vmagent row (the sink alone gets the same series as 1.0).");
        return text.ToString();
    }

    private static string Micro(double? nanoseconds) => nanoseconds is { } ns ? string.Create(CultureInfo.InvariantCulture, $"{ns / 1000:0.00} µs") : "—";

    private static string Millions(double? perSecond) => perSecond is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v / 1e6:0.00} M") : "—";

    private static string Ratio(double? value, double? reference) =>
        value is { } v && reference is { } r && r > 0 ? string.Create(CultureInfo.InvariantCulture, $"{v / r:0.00}×") : "—";

    private static string Ms(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0.0} ms");

    private static string Megabytes(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1048576.0:0} MB") : "—";

    private static string Kilobytes(long bytes) => bytes >= 1_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0} KB");
}
