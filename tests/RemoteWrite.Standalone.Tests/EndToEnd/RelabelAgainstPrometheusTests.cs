using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RemoteWrite.Core.Protocol.V1;
using RemoteWrite.Standalone.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Standalone.Tests.EndToEnd;

/// <summary>
/// The relay's rules against Debian's Prometheus 2.42 applying the same rules: Prometheus scrapes itself
/// and writes twice, once with <c>write_relabel_configs</c> to a capture receiver (Prometheus' own
/// relabelling), once without rules to the relay with the same file as <c>RELABEL_CONFIG_FILE</c>. The label
/// sets the relay sends to Azure must be exactly those Prometheus sent to the capture. Bodies are decoded
/// with Snappier and the generated protobuf types, not the relay's codec or scanner.
/// </summary>
[Slow]
[Collection(SerialCollection.Name)]
public sealed class RelabelAgainstPrometheusTests(ITestOutputHelper output) : IDisposable
{
    // Every action, on the names and labels of Prometheus' own metrics (2.42 has them all; keepequal/dropequal since 2.41).
    private const string Rules = """
        - source_labels: [__name__]
          regex: go_gc_.*|prometheus_tsdb_.*
          action: drop
        - source_labels: [__name__]
          regex: (go|prometheus|process|net|promhttp)_.*
          action: keep
        - source_labels: [__name__, job]
          separator: "@"
          regex: ([a-z]+)_.*@(.*)
          target_label: family
          replacement: ${1}-$2
        - source_labels: [instance]
          target_label: shard
          modulus: 7
          action: hashmod
        - source_labels: [family]
          target_label: family_upper
          action: uppercase
        - source_labels: [family_upper]
          target_label: family_lower
          action: lowercase
        - source_labels: [__name__]
          regex: go_goroutines
          target_label: twin
          replacement: go_goroutines
        - source_labels: [__name__]
          target_label: twin
          action: dropequal
        - source_labels: [family_lower]
          target_label: family
          action: keepequal
        - regex: (handler|code|quantile)
          replacement: http_$1
          action: labelmap
        - regex: handler|version|revision|branch|goversion|tags|buildDate|buildUser
          action: labeldrop
        - regex: __name__|family.*|shard|job|instance|http_.*|le|code|quantile|slice|role|reason|event|type|component|remote_name|url|dialer_name|listener_name|consumer|name|queue|interval|scrape_job
          action: labelkeep
        """;

    private readonly string _rulesFile = Path.Combine(Path.GetTempPath(), $"relabel-e2e-{Guid.NewGuid():N}.yaml");
    private readonly PrometheusProcess _prometheus = new();

    [PrometheusFact]
    public async Task The_relay_sends_the_label_sets_prometheus_sends_with_the_same_write_relabel_configs()
    {
        File.WriteAllText(_rulesFile, Rules);
        var relayPort = FreePort.Next();
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["LISTENING_PORT"] = $"{relayPort}", ["RELABEL_CONFIG_FILE"] = _rulesFile });
        using var relayClient = relay.StartKestrel(relayPort);
        await using var capture = await CaptureReceiver.StartAsync();

        _prometheus.Start(Config(relayPort, capture.Port, scrape: true));
        var enough = await Poll.UntilAsync(
            () => Task.FromResult(capture.Series.Count > 0 && relay.Azure.Requests.Count > 3 && capture.Requests > 3),
            ok => ok,
            TimeSpan.FromSeconds(90));
        Assert.True(enough, "no data from Prometheus at one side\n" + _prometheus.OutputTail);

        // Stop scraping (the remote_write queues stay), then let both queues drain.
        await _prometheus.ReloadAsync(Config(relayPort, capture.Port, scrape: false), TimeSpan.FromSeconds(30));
        var settled = await Poll.UntilAsync(
            async () =>
            {
                var before = (capture.Requests, relay.Azure.Requests.Count);
                await Task.Delay(TimeSpan.FromSeconds(4));
                return before == (capture.Requests, relay.Azure.Requests.Count);
            },
            quiet => quiet,
            TimeSpan.FromSeconds(60));
        Assert.True(settled, "the remote-write queues did not come to rest");

        var prometheusSets = capture.Series.Keys.ToHashSet(StringComparer.Ordinal);
        var relaySets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in relay.Azure.Requests)
        {
            foreach (var series in CaptureReceiver.Decode(request.Body).Timeseries)
            {
                relaySets.Add(CaptureReceiver.Key(series));
            }
        }

        output.WriteLine($"label sets: Prometheus {prometheusSets.Count}, relay {relaySets.Count}; e.g. {prometheusSets.Order(StringComparer.Ordinal).FirstOrDefault()}");
        Assert.True(prometheusSets.Count > 20, $"too few series to compare: {prometheusSets.Count}");
        Assert.Empty(prometheusSets.Except(relaySets).Order(StringComparer.Ordinal).Take(10));
        Assert.Empty(relaySets.Except(prometheusSets).Order(StringComparer.Ordinal).Take(10));

        // The rules did something on both sides.
        Assert.DoesNotContain(relaySets, s => s.Contains("__name__=go_gc_", StringComparison.Ordinal) || s.Contains("__name__=go_goroutines,", StringComparison.Ordinal));
        Assert.Contains(relaySets, s => s.Contains("shard=", StringComparison.Ordinal) && s.Contains("family_upper=GO-SELF", StringComparison.Ordinal));
        Assert.Contains(relaySets, s => s.Contains("http_handler=", StringComparison.Ordinal));
        var metrics = await relayClient.GetStringAsync("/metrics");
        Assert.Matches(@"remotewrite_receiver_dropped_total\{[^}]*reason=""relabel""[^}]*\} [1-9]", metrics);
    }

    private string Config(int relayPort, int capturePort, bool scrape)
    {
        var scrapeConfigs = scrape
            ? $"""
                - job_name: self
                  static_configs:
                    - targets: ['127.0.0.1:{_prometheus.Port}']
              """
            : "  []";
        var relabel = string.Join('\n', Rules.Split('\n').Select(l => "      " + l));
        return $"""
            global:
              scrape_interval: 1s
            scrape_configs:
            {scrapeConfigs}
            remote_write:
              - url: 'http://127.0.0.1:{capturePort}/api/v1/write'
                queue_config: {"{"}batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s{"}"}
                write_relabel_configs:
            {relabel}
              - url: 'http://127.0.0.1:{relayPort}/api/v1/write'
                queue_config: {"{"}batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s{"}"}
            """;
    }

    public void Dispose()
    {
        _prometheus.Dispose();
        File.Delete(_rulesFile);
    }

    /// <summary>A remote-write receiver that only records what it gets (Prometheus' own relabelled output).</summary>
    private sealed class CaptureReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;

        private CaptureReceiver(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public int Requests => Volatile.Read(ref _requests);

        public ConcurrentDictionary<string, int> Series { get; } = new(StringComparer.Ordinal);

        public static async Task<CaptureReceiver> StartAsync()
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var capture = new CaptureReceiver(app, port);
            app.MapPost("/api/v1/write", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                foreach (var series in Decode(body.ToArray()).Timeseries)
                {
                    capture.Series.AddOrUpdate(Key(series), 1, (_, n) => n + 1);
                }

                Interlocked.Increment(ref capture._requests);
                return Results.NoContent();
            });
            await app.StartAsync();
            return capture;
        }

        public static WriteRequest Decode(byte[] compressed) => WriteRequest.Parser.ParseFrom(Snappier.Snappy.DecompressToArray(compressed));

        /// <summary>A label set as one string, labels sorted by name (as both sides must send them).</summary>
        public static string Key(TimeSeries series)
        {
            var names = series.Labels.Select(l => l.Name).ToList();
            Assert.Equal(names.Order(StringComparer.Ordinal), names);
            return string.Join(',', series.Labels.Select(l => $"{l.Name}={l.Value}"));
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
