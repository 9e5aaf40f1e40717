using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RemoteWrite.Standalone.Tests.EndToEnd.Faults;

/// <summary>What Prometheus says it delivered against what the stand-in stored, once a fault is over.</summary>
public sealed record DeliveryAudit(
    double Attempted,
    double Delivered,
    long Stored,
    double Retried,
    double Failed,
    double Dropped,
    double Pending,
    bool Exact,
    IReadOnlyDictionary<string, double> RelayAnswers)
{
    /// <summary>Stored beyond what Prometheus counts as delivered: re-sends of data Azure had already taken.</summary>
    public long Duplicates => Stored - (long)Delivered;

    public string Answers => string.Join(" ", RelayAnswers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}×{a.Value:0}"));

    // Prometheus 2.42 adds every attempt to samples_total and each re-send to retried_total, so
    // what it delivered is sent - retried - failed (as PrometheusToStandInTests measured).
    private static double DeliveredOf((double Sent, double Failed, double Dropped, double Pending, double Retried) p) => p.Sent - p.Retried - p.Failed;

    /// <summary>
    /// Stops Prometheus' scraping, then reads Prometheus and the stand-in until both are at rest: nothing
    /// pending, and the same counts two reads running (a second apart), or the time is up.
    /// </summary>
    public static async Task<DeliveryAudit> SettleAsync(EndToEndRig rig, TimeSpan timeout)
    {
        await rig.StopScrapingAsync();
        var deadline = DateTime.UtcNow + timeout;
        var p = await rig.PrometheusCountersAsync();
        var stored = await rig.StoredSamplesAsync();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            var (previous, storedBefore) = (p, stored);
            p = await rig.PrometheusCountersAsync();
            stored = await rig.StoredSamplesAsync();
            if (p.Pending == 0 && p == previous && stored == storedBefore)
            {
                break;
            }
        }

        var answers = RelayAnswersOf(await rig.RelayMetricsAsync());
        return new DeliveryAudit(p.Sent, DeliveredOf(p), stored, p.Retried, p.Failed, p.Dropped, p.Pending, stored == (long)DeliveredOf(p), answers);
    }

    /// <summary><c>remotewrite_receiver_requests_total</c> summed by <c>code</c>.</summary>
    public static IReadOnlyDictionary<string, double> RelayAnswersOf(string metrics)
    {
        var byCode = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in metrics.Split('\n'))
        {
            if (!line.StartsWith("remotewrite_receiver_requests_total{", StringComparison.Ordinal)
                || Regex.Match(line, "code=\"(\\d+)\"") is not { Success: true } code)
            {
                continue;
            }

            var value = double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            byCode[code.Groups[1].Value] = byCode.GetValueOrDefault(code.Groups[1].Value) + value;
        }

        return byCode;
    }

    /// <summary>One row of the closing note's table.</summary>
    public string Row(string fault, long storedDuringFault, TimeSpan took) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {fault} | {Delivered:0} | {Stored} | {Duplicates} | {Retried:0} | {Failed:0}/{Dropped:0} | {storedDuringFault} | {Answers} | {took.TotalSeconds:0} s |");
}

/// <summary>
/// The fault suite's table: each test prints its row, and every row of this test process is also
/// appended to <see cref="FilePath"/> so the whole table can be pasted at once.
/// </summary>
public static class FaultReport
{
    public const string Header =
        "| fault | sent (acked to Prometheus) | stored | duplicates (stored − sent) | retried by Prometheus | failed/dropped | stored during fault | relay answers by status | test took |\n"
        + "|---|---|---|---|---|---|---|---|---|";

    private static readonly Lock Gate = new();
    private static bool _started;

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "fault-suite-report.md");

    public static void Add(Xunit.Abstractions.ITestOutputHelper output, string row)
    {
        output.WriteLine("FAULT REPORT (append to the table):");
        output.WriteLine(Header);
        output.WriteLine(row);
        lock (Gate)
        {
            var text = new StringBuilder();
            if (!_started)
            {
                File.Delete(FilePath);
                text.AppendLine(Header);
                _started = true;
            }

            text.AppendLine(row);
            File.AppendAllText(FilePath, text.ToString());
        }

        output.WriteLine($"(all rows so far: {FilePath})");
    }
}
