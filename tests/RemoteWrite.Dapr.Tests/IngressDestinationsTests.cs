using System.Net;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests;

/// <summary>
/// The ingress process with DESTINATIONS_FILE (names and routes only) behind a daprd stand-in: each
/// destination's share of a request goes to its own topic (<c>remotewrite-{destination}</c>) with the
/// destination in the message's facts, so each destination's forwarder is held up only by its own outage.
/// </summary>
[Slow]
public sealed class IngressDestinationsTests : IAsyncLifetime
{
    private readonly InMemoryBroker _broker = new(DaprNames.PubSub);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"destinations-{Guid.NewGuid():N}.yaml");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private LoneIngress? _ingress;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_file, """
            default_destination: platform
            destinations:
              - name: team-a
                route: {label: team, values: [a]}
              - name: team-b
                route: {label: team, values: [b]}
              - name: platform
            """);
        _ingress = await LoneIngress.StartAsync(_broker, new Dictionary<string, string> { ["DESTINATIONS_FILE"] = _file });
    }

    private string[] InstancesOn(string destination) =>
        [.. _broker.Messages(DaprNames.PubSub, DaprNames.DestinationTopic(DaprNames.Topic, destination))
            .SelectMany(m =>
            {
                Assert.Equal(destination, m.Metadata[HandOff.DestinationKey]);
                return RemoteWriteBodies.Decode(m.Data).Timeseries;
            })
            .Select(s => s.Labels.Single(l => l.Name == "instance").Value)
            .Order()];

    [Fact]
    public async Task Each_destinations_series_go_to_its_own_topic_and_the_path_names_one()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var body = RemoteWriteBodies.Compress(
            RemoteWriteBodies.Series("up", now, 1, ("instance", "host-0"), ("team", "a")),
            RemoteWriteBodies.Series("up", now, 1, ("instance", "host-1"), ("team", "b")),
            RemoteWriteBodies.Series("up", now, 1, ("instance", "host-2")));

        using var routed = await _http.SendAsync(RemoteWriteBodies.Post(_ingress!.WriteUrl(), body));
        using var named = await _http.SendAsync(RemoteWriteBodies.Post(_ingress.WriteUrl("/api/v1/write/team-b"), body));
        using var unknown = await _http.SendAsync(RemoteWriteBodies.Post(_ingress.WriteUrl("/api/v1/write/team-z"), body));

        Assert.Equal(HttpStatusCode.NoContent, routed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, named.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(["host-0"], InstancesOn("team-a"));
        Assert.Equal(["host-0", "host-1", "host-1", "host-2"], InstancesOn("team-b"));
        Assert.Equal(["host-2"], InstancesOn("platform"));
        Assert.Empty(_broker.Messages(DaprNames.PubSub, DaprNames.Topic));
    }

    public async Task DisposeAsync()
    {
        if (_ingress is not null)
        {
            await _ingress.DisposeAsync();
        }

        _http.Dispose();
        File.Delete(_file);
    }
}
