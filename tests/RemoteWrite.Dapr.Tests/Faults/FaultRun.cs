using System.Globalization;
using System.Text.RegularExpressions;
using RemoteWrite.Dapr.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests.Faults;

/// <summary>What one fault run measured, as the report line prints it.</summary>
public sealed record FaultFigures(
    string Fault,
    long Acknowledged,
    long IngressPublished,
    long Stored,
    long DroppedTooOld,
    long PrometheusRetried,
    long ForwarderRetries,
    long Redelivered,
    IReadOnlyDictionary<string, long> IngressAnswers,
    TimeSpan Duration)
{
    /// <summary>Stored (and counted as dropped) beyond what was acknowledged: redelivered or resent copies.</summary>
    public long Duplicates => Stored + DroppedTooOld - Acknowledged;

    public string ReportLine() =>
        $"{Fault} | acknowledged {Acknowledged} (ingress published {IngressPublished}) | stored {Stored}"
        + (DroppedTooOld > 0 ? $" + dropped too_old {DroppedTooOld}" : string.Empty)
        + $" | duplicates {Duplicates} | forwarder retried deliveries {ForwarderRetries} (sidecar redeliveries {Redelivered})"
        + $" | ingress answers {string.Join(", ", IngressAnswers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}"))}"
        + $" (Prometheus retried {PrometheusRetried}) | {Duration.TotalSeconds:0} s";
}

/// <summary>
/// One fault under a real Prometheus sending through the Dapr stack: Prometheus scrapes the three services every
/// second and remote-writes to the ingress; the fault is applied and cleared by the caller; then Prometheus stops
/// scraping (a config reload without scrape jobs, so its counters settle while it still runs), its queue empties
/// (pending 0, counters unchanged), it stops, and the stand-in must hold every sample Prometheus had acknowledged.
/// </summary>
public sealed class FaultRun(DaprStack stack, ITestOutputHelper output)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(120);
    private readonly Dictionary<string, long> _answersBeforeRestart = new(StringComparer.Ordinal);
    private long _publishedBeforeRestart;

    public PrometheusProcess? Prometheus { get; private set; }

    /// <summary>Runs <paramref name="fault"/> (which applies the fault, holds it and clears it) between a flowing start and the accounting.</summary>
    public async Task<FaultFigures> RunAsync(string name, Func<FaultRun, Task> fault)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await stack.DrainAsync();
        var stored0 = (await stack.AzureStatsAsync()).Samples;
        var published0 = await stack.MetricAsync(stack.Ingress, "remotewrite_ingress_published_samples_total");
        var answers0 = await IngressAnswersAsync();
        var retries0 = await stack.MetricAsync(stack.Forwarder, "remotewrite_forwarder_deliveries_total", "status=\"retry\"");
        var tooOld0 = await stack.MetricAsync(stack.Forwarder, "remotewrite_forwarder_dropped_total", "reason=\"too_old\"");
        var redelivered0 = stack.Redelivered;

        using var prometheus = new PrometheusProcess();
        Prometheus = prometheus;
        prometheus.Start(Config(scrape: true), "--web.enable-lifecycle");
        try
        {
            // Flowing before the fault.
            await Poll.AssertAsync(async () => (await CountersAsync()).Acknowledged > 300, TimeSpan.FromSeconds(60), "Prometheus sending through the ingress");
            await fault(this);

            // The fault is over: a few seconds of normal flow, then no more scrapes, and Prometheus' queue empties.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await ReloadAsync(Config(scrape: false));
            var settled = await SettleAsync();
            Assert.True(settled.Pending == 0, $"Prometheus still holds {settled.Pending} samples:\n{prometheus.OutputTail}");
            Assert.True(settled.Failed == 0, $"Prometheus gave up on {settled.Failed} samples (a 4xx from the ingress):\n{prometheus.OutputTail}");
            Assert.True(settled.Dropped == 0, $"Prometheus dropped {settled.Dropped} samples");
            await prometheus.StopAsync(TimeSpan.FromSeconds(60));

            var acknowledged = (long)settled.Acknowledged;
            var published = (long)(await Poll.SettledAsync(() => stack.MetricAsync(stack.Ingress, "remotewrite_ingress_published_samples_total"), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)) - published0 + _publishedBeforeRestart);
            var tooOld = () => stack.MetricAsync(stack.Forwarder, "remotewrite_forwarder_dropped_total", "reason=\"too_old\"");

            // Everything acknowledged is at the stand-in or counted as too old; then nothing is left in Redis.
            await Poll.AssertAsync(
                async () => (await stack.AzureStatsAsync()).Samples - stored0 + (long)(await tooOld() - tooOld0) >= acknowledged,
                Arrival,
                $"{acknowledged} acknowledged samples stored or counted");
            await stack.DrainAsync();
            var stored = await Poll.SettledAsync(async () => (await stack.AzureStatsAsync()).Samples, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)) - stored0;
            var answers = await IngressAnswersAsync();
            foreach (var (code, count) in _answersBeforeRestart)
            {
                answers[code] = answers.GetValueOrDefault(code) + count;
            }

            foreach (var (code, count) in answers0)
            {
                answers[code] = answers.GetValueOrDefault(code) - count;
            }

            var figures = new FaultFigures(
                name,
                acknowledged,
                published,
                stored,
                (long)(await tooOld() - tooOld0),
                (long)settled.Retried,
                (long)(await stack.MetricAsync(stack.Forwarder, "remotewrite_forwarder_deliveries_total", "status=\"retry\"") - retries0),
                stack.Redelivered - redelivered0,
                answers.Where(a => a.Value != 0).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
                clock.Elapsed);
            output.WriteLine("REPORT " + figures.ReportLine());

            // Zero acknowledged samples lost: what Prometheus was told was written, and what the ingress had the broker accept.
            Assert.True(figures.Stored + figures.DroppedTooOld >= figures.Acknowledged, $"{figures.Acknowledged - figures.Stored - figures.DroppedTooOld} acknowledged samples lost: {figures.ReportLine()}");
            Assert.True(figures.Stored + figures.DroppedTooOld >= figures.IngressPublished, $"{figures.IngressPublished - figures.Stored - figures.DroppedTooOld} published samples lost: {figures.ReportLine()}");
            return figures;
        }
        catch
        {
            output.WriteLine($"Prometheus:\n{prometheus.OutputTail}\nforwarder:\n{stack.Forwarder.OutputTail}\ningress:\n{stack.Ingress.OutputTail}");
            throw;
        }
        finally
        {
            Prometheus = null;
        }
    }

    /// <summary>Before killing the ingress: its counters start again from zero in the new process.</summary>
    public async Task RememberIngressCountersAsync()
    {
        _publishedBeforeRestart += (long)await stack.MetricAsync(stack.Ingress, "remotewrite_ingress_published_samples_total");
        foreach (var (code, count) in await IngressAnswersAsync())
        {
            _answersBeforeRestart[code] = _answersBeforeRestart.GetValueOrDefault(code) + count;
        }
    }

    /// <summary>Prometheus' remote-write counters: acknowledged = sent attempts − retried − failed (2.42 counts every attempt in <c>samples_total</c>).</summary>
    public async Task<(double Acknowledged, double Failed, double Dropped, double Pending, double Retried)> CountersAsync()
    {
        var text = await Prometheus!.MetricsAsync(stack.Http);
        var sent = PrometheusText.Sum(text, "prometheus_remote_storage_samples_total");
        var failed = PrometheusText.Sum(text, "prometheus_remote_storage_samples_failed_total");
        var retried = PrometheusText.Sum(text, "prometheus_remote_storage_samples_retried_total");
        return (sent - retried - failed, failed, PrometheusText.Sum(text, "prometheus_remote_storage_samples_dropped_total"), PrometheusText.Sum(text, "prometheus_remote_storage_samples_pending"), retried);
    }

    /// <summary>Holds for <paramref name="duration"/> while checking Prometheus still runs.</summary>
    public async Task HoldAsync(TimeSpan duration)
    {
        await Task.Delay(duration);
        Assert.False(Prometheus!.HasExited, $"Prometheus exited:\n{Prometheus.OutputTail}");
    }

    private async Task<(double Acknowledged, double Failed, double Dropped, double Pending, double Retried)> SettleAsync()
    {
        var previous = await CountersAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var next = await CountersAsync();
            if ((next.Pending == 0 && next == previous) || DateTime.UtcNow > deadline)
            {
                return next;
            }

            previous = next;
        }
    }

    private async Task ReloadAsync(string config)
    {
        // The config file Prometheus was started with, from its own flags.
        using var flags = System.Text.Json.JsonDocument.Parse(await stack.Http.GetStringAsync(new Uri(Prometheus!.Address, "/api/v1/status/flags")));
        var path = flags.RootElement.GetProperty("data").GetProperty("config.file").GetString()!;
        await File.WriteAllTextAsync(path, config);
        using var reload = await stack.Http.PostAsync(new Uri(Prometheus.Address, "/-/reload"), null);
        Assert.True(reload.IsSuccessStatusCode, $"reload: {(int)reload.StatusCode} {await reload.Content.ReadAsStringAsync()}");
    }

    private string Config(bool scrape) => (scrape
        ? $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: dapr-services
                static_configs:
                  - targets: ["127.0.0.1:{stack.Ingress.Port}", "127.0.0.1:{stack.Forwarder.Port}", "127.0.0.1:{stack.TokenService.Port}"]

            """
        : """
            global:
              scrape_interval: 1s

            """)
        + $"""
            remote_write:
              - url: {stack.IngressWriteUrl}
                queue_config:
                  batch_send_deadline: 1s
                  max_backoff: 2s
            """;

    /// <summary>The ingress' answers by status code (<c>remotewrite_receiver_requests_total{code}</c>).</summary>
    private async Task<Dictionary<string, long>> IngressAnswersAsync()
    {
        var text = await stack.Http.GetStringAsync(new Uri(stack.Ingress.Address, "/metrics"));
        var answers = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(text, @"^remotewrite_receiver_requests_total\{[^}]*code=""(\d+)""[^}]*\}\s+(\S+)", RegexOptions.Multiline))
        {
            answers[m.Groups[1].Value] = answers.GetValueOrDefault(m.Groups[1].Value) + (long)double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        return answers;
    }
}
