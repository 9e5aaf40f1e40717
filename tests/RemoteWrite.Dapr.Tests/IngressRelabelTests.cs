using System.Net;
using RemoteWrite.Core.Protocol.V1;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests;

/// <summary>The ingress process applies RELABEL_CONFIG_FILE before publishing: dropped series never reach the broker, and are counted.</summary>
[Slow]
public sealed class IngressRelabelTests : IAsyncLifetime
{
    private readonly InMemoryBroker _broker = new(DaprNames.PubSub);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _rules = Path.Combine(Path.GetTempPath(), $"ingress-relabel-{Guid.NewGuid():N}.yaml");
    private LoneIngress? _ingress;

    [Fact]
    public async Task Dropped_series_are_not_published_and_are_counted()
    {
        File.WriteAllText(_rules, "- {source_labels: [__name__], regex: 'go_.*', action: drop}\n- {regex: instance, action: labeldrop}\n");
        _ingress = await LoneIngress.StartAsync(_broker, new Dictionary<string, string> { ["RELABEL_CONFIG_FILE"] = _rules });

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var body = RemoteWriteBodies.Compress(
            RemoteWriteBodies.Series("go_goroutines", now, 1, ("instance", "a")),
            RemoteWriteBodies.Series("up", now, 1, ("instance", "a"), ("job", "j")));
        using var response = await _http.SendAsync(RemoteWriteBodies.Post(_ingress.WriteUrl(), body));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var message = Assert.Single(_broker.Messages(DaprNames.PubSub, DaprNames.Topic));
        Assert.True(message.Raw);
        var published = WriteRequest.Parser.ParseFrom(Snappier.Snappy.DecompressToArray(message.Data));
        var series = Assert.Single(published.Timeseries);
        Assert.Equal([("__name__", "up"), ("job", "j")], series.Labels.Select(l => (l.Name, l.Value)).ToArray());

        var metrics = await _http.GetStringAsync(new Uri(_ingress.Process.Address, "/metrics"));
        Assert.Equal(1, PrometheusText.Sum(metrics, "remotewrite_receiver_dropped_total", "reason=\"relabel\""));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_ingress is not null)
        {
            await _ingress.DisposeAsync();
        }

        _http.Dispose();
        File.Delete(_rules);
    }
}
