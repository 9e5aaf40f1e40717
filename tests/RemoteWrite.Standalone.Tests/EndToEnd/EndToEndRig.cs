using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
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

    private readonly string _work = Directory.CreateTempSubdirectory("relay-e2e-").FullName;
    private readonly int _standHttp = ChildProcess.FreePort();
    private readonly int _standHttps = ChildProcess.FreePort();
    private readonly int _prometheusPort = ChildProcess.FreePort();
    private ChildProcess? _stand;
    private ChildProcess? _prometheus;

    public EndToEndRig() => RelayPort = ChildProcess.FreePort();

    public int RelayPort { get; }

    public ChildProcess? Relay { get; private set; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri Stand => new($"http://127.0.0.1:{_standHttp}");

    public string Logs => $"--- relay\n{Relay?.Log}\n--- prometheus\n{_prometheus?.Log}\n--- stand-in\n{_stand?.Log}";

    public async Task StartStandInAsync()
    {
        _stand = new ChildProcess(RelayProcess.StartInfo("RemoteWrite.LocalAzure", new Dictionary<string, string?>
        {
            ["LocalAzure__HttpPort"] = _standHttp.ToString(),
            ["LocalAzure__HttpsPort"] = _standHttps.ToString(),
            ["LocalAzure__DataDirectory"] = Path.Combine(_work, "stand-in"),
            ["LOG_FORMAT"] = "text",
            ["Logging__LogLevel__Default"] = "Warning",
        }));
        await WaitForAsync(new Uri(Stand, "/health"), "stand-in");
    }

    public async Task StartRelayAsync()
    {
        Relay = new ChildProcess(RelayProcess.StartInfo(new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = $"{Stand}dataCollectionRules/{Dcr}/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24",
            ["IDENTITY_TYPE"] = "systemAssigned",
            ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = Stand.ToString().TrimEnd('/'),
            ["LISTENING_PORT"] = RelayPort.ToString(),
            ["LOG_FORMAT"] = "text",
        }));
        await WaitForAsync(new Uri($"http://127.0.0.1:{RelayPort}/ready"), "relay");
    }

    public void StartPrometheus()
    {
        var config = Path.Combine(_work, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: self
                static_configs:
                  - targets: ['127.0.0.1:{_prometheusPort}']
            remote_write:
              - url: 'http://127.0.0.1:{RelayPort}/api/v1/write'
                queue_config:
                  batch_send_deadline: 1s
                  min_backoff: 100ms
                  max_backoff: 2s
            """);
        _prometheus = new ChildProcess(new ProcessStartInfo(PrometheusFactAttribute.PrometheusPath ?? throw new InvalidOperationException("CI=true: the prometheus binary is required (apt-get install prometheus)"))
        {
            ArgumentList =
            {
                $"--config.file={config}",
                $"--web.listen-address=127.0.0.1:{_prometheusPort}",
                $"--storage.tsdb.path={Path.Combine(_work, "tsdb")}",
            },
        });
    }

    /// <summary>Samples the stand-in stored for the test's DCR.</summary>
    public async Task<long> StoredSamplesAsync()
    {
        using var stats = JsonDocument.Parse(await Http.GetStringAsync(new Uri(Stand, "/admin/stats")));
        return stats.RootElement.GetProperty("byDcr").TryGetProperty(Dcr, out var dcr) ? dcr.GetProperty("samples").GetInt64() : 0;
    }

    public async Task<long> RejectedByStandInAsync(int status)
    {
        using var stats = JsonDocument.Parse(await Http.GetStringAsync(new Uri(Stand, "/admin/stats")));
        return stats.RootElement.GetProperty("total").GetProperty("rejected").TryGetProperty(status.ToString(), out var n) ? n.GetInt64() : 0;
    }

    /// <summary>Prometheus 2.42's own remote-write counters (checked by scraping it: <c>prometheus_remote_storage_samples_total</c> etc.).</summary>
    public async Task<(double Sent, double Failed, double Dropped, double Pending, double Retried)> PrometheusCountersAsync()
    {
        var text = await Http.GetStringAsync($"http://127.0.0.1:{_prometheusPort}/metrics");
        return (
            ChildProcess.SumMetric(text, "prometheus_remote_storage_samples_total"),
            ChildProcess.SumMetric(text, "prometheus_remote_storage_samples_failed_total"),
            ChildProcess.SumMetric(text, "prometheus_remote_storage_samples_dropped_total"),
            ChildProcess.SumMetric(text, "prometheus_remote_storage_samples_pending"),
            ChildProcess.SumMetric(text, "prometheus_remote_storage_samples_retried_total"));
    }

    /// <summary>Whether the stand-in still has a fault plan in force (<c>GET /admin/faults</c>: 200 with the plan, 204 without).</summary>
    public async Task<bool> FaultActiveAsync()
    {
        using var response = await Http.GetAsync(new Uri(Stand, "/admin/faults"));
        return response.StatusCode == HttpStatusCode.OK;
    }

    public async Task SetFaultAsync(string json)
    {
        using var response = await Http.PostAsync(new Uri(Stand, "/admin/faults"), new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        _prometheus?.Dispose();
        Relay?.Dispose();
        _stand?.Dispose();
        Http.Dispose();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }

    private async Task WaitForAsync(Uri url, string what)
    {
        var ok = await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    using var response = await Http.GetAsync(url);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            ok => ok,
            TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(250));
        Assert.True(ok, $"{what} did not become ready at {url}\n{Logs}");
    }
}
