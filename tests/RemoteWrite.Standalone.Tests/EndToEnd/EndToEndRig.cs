using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.EndToEnd;

/// <summary>
/// Real peers on loopback, each its own process: the local Azure stand-in, the relay (built
/// output, system-assigned managed identity against the stand-in's IMDS, so MSAL's per-process
/// IMDS cache is never shared), and Debian's Prometheus scraping itself and remote-writing to the relay.
/// </summary>
public sealed class EndToEndRig : IDisposable
{
    public const string Dcr = "dcr-standalone-e2e";

    private LocalAzureProcess? _stand;
    private PrometheusProcess? _prometheus;

    // The stand-in keeps its counts in memory: what it had stored before a kill -9 is carried here.
    private long _storedBeforeRestarts;

    public RelayChild? Relay { get; private set; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Logs => $"--- relay\n{Relay?.Process.OutputTail}\n--- prometheus\n{_prometheus?.OutputTail}\n--- stand-in\n{_stand?.OutputTail}";

    private LocalAzureProcess Stand => _stand ?? throw new InvalidOperationException("start the stand-in first");

    /// <param name="settings">The stand-in's settings over its defaults (e.g. a short token lifetime).</param>
    public async Task StartStandInAsync(IReadOnlyDictionary<string, string?>? settings = null) => _stand = await LocalAzureProcess.StartAsync(settings);

    /// <summary>Starts the relay, or after a kill starts it again on the same port (Prometheus keeps sending there).</summary>
    /// <param name="settings">The relay's settings over the rig's (first start only).</param>
    public async Task StartRelayAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        if (Relay is not null)
        {
            await Relay.RestartAsync();
            return;
        }

        Relay = await RelayChild.StartAgainstAsync(Stand, Dcr, settings is null ? null : new Dictionary<string, string?>(settings));
    }

    /// <summary>The relay's own /metrics text (answers by code, sender and identity counters).</summary>
    public Task<string> RelayMetricsAsync() => Http.GetStringAsync(new Uri(Relay!.Address, "/metrics"));

    public void StartPrometheus()
    {
        _prometheus = new PrometheusProcess();
        _prometheus.Start(PrometheusConfig(scrape: true));
    }

    /// <summary>
    /// Stops Prometheus' scraping (a config reload without scrape configs; the remote-write queue is kept),
    /// so its counters can come to rest once the queue has sent what it holds.
    /// </summary>
    public Task StopScrapingAsync() => _prometheus!.ReloadAsync(PrometheusConfig(scrape: false), TimeSpan.FromSeconds(30));

    private string PrometheusConfig(bool scrape)
    {
        var scrapeConfigs = scrape
            ? $"""
              - job_name: self
                static_configs:
                  - targets: ['127.0.0.1:{_prometheus!.Port}']
            """
            : "  []";
        return $"""
            global:
              scrape_interval: 1s
            scrape_configs:
            {scrapeConfigs}
            remote_write:
              - url: 'http://127.0.0.1:{Relay!.Port}/api/v1/write'
                queue_config:
                  batch_send_deadline: 1s
                  min_backoff: 100ms
                  max_backoff: 2s
            """;
    }

    /// <summary>Samples the stand-in stored for the test's DCR (over its restarts).</summary>
    public async Task<long> StoredSamplesAsync() => _storedBeforeRestarts + await Stand.StoredSamplesAsync(Dcr);

    /// <summary>
    /// kill -9 of the stand-in, after its count is read: the caller must hold requests back first (a
    /// latency fault), so nothing is stored between that read and the kill.
    /// </summary>
    public async Task KillStandInAsync()
    {
        _storedBeforeRestarts += await Stand.StoredSamplesAsync(Dcr);
        Stand.Process.Kill();
    }

    /// <summary>Starts the stand-in again on the same ports (and data directory) and waits until it is healthy.</summary>
    public async Task RestartStandInAsync()
    {
        Stand.Process.Start();
        await Stand.WaitHealthyAsync();
    }

    public Task<long> RejectedByStandInAsync(int status) => Stand.RejectedAsync(status);

    /// <summary>Prometheus 2.42's own remote-write counters (checked by scraping it: <c>prometheus_remote_storage_samples_total</c> etc.).</summary>
    public async Task<(double Sent, double Failed, double Dropped, double Pending, double Retried)> PrometheusCountersAsync()
    {
        var text = await _prometheus!.MetricsAsync(Http);
        return (
            PrometheusText.Sum(text, "prometheus_remote_storage_samples_total"),
            PrometheusText.Sum(text, "prometheus_remote_storage_samples_failed_total"),
            PrometheusText.Sum(text, "prometheus_remote_storage_samples_dropped_total"),
            PrometheusText.Sum(text, "prometheus_remote_storage_samples_pending"),
            PrometheusText.Sum(text, "prometheus_remote_storage_samples_retried_total"));
    }

    /// <summary>Whether the stand-in still has a fault plan in force.</summary>
    public Task<bool> FaultActiveAsync() => Stand.FaultActiveAsync();

    public Task SetFaultAsync(string json) => Stand.SetFaultAsync(json);

    public void Dispose()
    {
        _prometheus?.Dispose();
        Relay?.Dispose();
        _stand?.Dispose();
        Http.Dispose();
    }
}
