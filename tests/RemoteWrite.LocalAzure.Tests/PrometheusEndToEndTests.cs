using RemoteWrite.LocalAzure.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.LocalAzure.Tests;

/// <summary>
/// Debian's real Prometheus remote-writes to the stand-in with a bearer token the stand-in issued,
/// scraping itself, and the stand-in's stats show the samples.
/// </summary>
[Slow]
public sealed class PrometheusEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private readonly LocalAzureFactory _stand = new LocalAzureFactory().StartKestrel();
    private readonly PrometheusProcess _prometheus = new();

    [PrometheusFact]
    public async Task Prometheus_remote_write_with_an_issued_token_is_accepted()
    {
        Assert.True(PrometheusBinary.Path is not null, "prometheus binary is required under CI=true (apt-get install prometheus)");
        using var client = new HttpClient { BaseAddress = _stand.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        var token = await Tokens.DevAppTokenAsync(client);
        var writeUrl = new Uri(_stand.HttpAddress!, RemoteWriteBodies.IngestionPath("dcr-prometheus-e2e"));
        _prometheus.Start($"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: self
                static_configs:
                  - targets: ['127.0.0.1:{_prometheus.Port}']
            remote_write:
              - url: '{writeUrl}'
                authorization:
                  credentials: '{token}'
                queue_config:
                  batch_send_deadline: 1s
                  min_backoff: 100ms
                  max_backoff: 1s
            """);

        // Poll, bounded: Prometheus starts, scrapes every second and sends within a second of that.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        long samples = 0;
        while (DateTime.UtcNow < deadline && !_prometheus.HasExited)
        {
            var stats = await Tokens.StatsAsync(client);
            if (stats.GetProperty("byDcr").TryGetProperty("dcr-prometheus-e2e", out var dcr))
            {
                samples = dcr.GetProperty("samples").GetInt64();
                if (samples > 0)
                {
                    break;
                }
            }

            await Task.Delay(500);
        }

        Assert.True(samples > 0, "no samples arrived from Prometheus; its log:\n" + _prometheus.Output);
        var series = await client.GetStringAsync("/admin/series");
        Assert.Contains("prometheus_build_info", series);
        var stats2 = await Tokens.StatsAsync(client);
        Assert.False(stats2.GetProperty("total").GetProperty("rejected").TryGetProperty("401", out _), "Prometheus' token was refused");
    }

    public void Dispose()
    {
        _prometheus.Kill();
        var log = _prometheus.Output;
        if (log.Length > 0)
        {
            output.WriteLine(log[..Math.Min(log.Length, 4000)]);
        }

        _prometheus.Dispose();
        _stand.Dispose();
    }
}
