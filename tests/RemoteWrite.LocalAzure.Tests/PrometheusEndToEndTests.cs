using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RemoteWrite.LocalAzure.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.LocalAzure.Tests;

/// <summary>
/// Debian's real Prometheus remote-writes to the stand-in with a bearer token the stand-in issued,
/// scraping itself, and the stand-in's stats show the samples.
/// </summary>
public sealed class PrometheusEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private readonly LocalAzureFactory _stand = new LocalAzureFactory().StartKestrel();
    private readonly string _work = Directory.CreateTempSubdirectory("localazure-prom-").FullName;
    private Process? _prometheus;
    private readonly StringBuilder _log = new();

    [PrometheusFact]
    public async Task Prometheus_remote_write_with_an_issued_token_is_accepted()
    {
        Assert.True(PrometheusBinary.Path is not null, "prometheus binary is required under CI=true (apt-get install prometheus)");
        using var client = new HttpClient { BaseAddress = _stand.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        var token = await Tokens.DevAppTokenAsync(client);
        var port = FreePort();
        var writeUrl = new Uri(_stand.HttpAddress!, RemoteWriteBodies.WritePath("dcr-prometheus-e2e"));
        var config = Path.Combine(_work, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: self
                static_configs:
                  - targets: ['127.0.0.1:{port}']
            remote_write:
              - url: '{writeUrl}'
                authorization:
                  credentials: '{token}'
                queue_config:
                  batch_send_deadline: 1s
                  min_backoff: 100ms
                  max_backoff: 1s
            """);

        _prometheus = Process.Start(new ProcessStartInfo(PrometheusBinary.Path!)
        {
            ArgumentList =
            {
                $"--config.file={config}",
                $"--web.listen-address=127.0.0.1:{port}",
                $"--storage.tsdb.path={Path.Combine(_work, "data")}",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        _prometheus.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _prometheus.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _prometheus.BeginErrorReadLine();
        _prometheus.BeginOutputReadLine();

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

        Assert.True(samples > 0, "no samples arrived from Prometheus; its log:\n" + _log);
        var series = await client.GetStringAsync("/admin/series");
        Assert.Contains("prometheus_build_info", series);
        var stats2 = await Tokens.StatsAsync(client);
        Assert.False(stats2.GetProperty("total").GetProperty("rejected").TryGetProperty("401", out _), "Prometheus' token was refused");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_prometheus is { HasExited: false })
        {
            _prometheus.Kill(entireProcessTree: true);
            _prometheus.WaitForExit(10_000);
        }

        _prometheus?.Dispose();
        lock (_log)
        {
            if (_log.Length > 0)
            {
                output.WriteLine(_log.ToString()[..Math.Min(_log.Length, 4000)]);
            }
        }

        _stand.Dispose();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
