using System.Net;
using System.Net.Http.Headers;
using RemoteWrite.Core.Protocol.V1;

namespace RemoteWrite.Standalone.Tests.Destinations;

/// <summary>
/// Several destinations through the running relay (DESTINATIONS_FILE): fan-out, routing by label,
/// header and path, each destination's own identity, and what the answer means when one fails.
/// </summary>
public sealed class DestinationsRelayTests
{
    private static readonly string FanOut = $"""
        mode: fanout
        destinations:
          - name: team-a
            endpoints: ["{DestinationsRelay.Url("dce-a")}"]
            identity: {"{"}IDENTITY_TYPE: userAssigned, AZURE_CLIENT_ID: client-a{"}"}
          - name: team-b
            endpoints: ["{DestinationsRelay.Url("dce-b")}"]
            identity: {"{"}IDENTITY_TYPE: userAssigned, AZURE_CLIENT_ID: client-b{"}"}
        """;

    private static string Routed(string routeA, string routeB, string? defaultDestination = null) => $"""
        {(defaultDestination is null ? "" : "default_destination: " + defaultDestination)}
        destinations:
          - name: team-a
            endpoints: ["{DestinationsRelay.Url("dce-a")}"]
            identity: {"{"}IDENTITY_TYPE: userAssigned, AZURE_CLIENT_ID: client-a{"}"}
            route: {routeA}
          - name: team-b
            endpoints: ["{DestinationsRelay.Url("dce-b")}"]
            identity: {"{"}IDENTITY_TYPE: userAssigned, AZURE_CLIENT_ID: client-b{"}"}
            route: {routeB}
          - name: rest
            endpoints: ["{DestinationsRelay.Url("dce-c")}"]
            identity: {"{"}IDENTITY_TYPE: userAssigned, AZURE_CLIENT_ID: client-c{"}"}
        """;

    private static byte[] Teams(params string?[] teams)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return RemoteWriteBodies.Compress([.. teams.Select((team, i) => team is null
            ? RemoteWriteBodies.Series("up", now, i, ("instance", $"host-{i}"))
            : RemoteWriteBodies.Series("up", now, i, ("instance", $"host-{i}"), ("team", team)))]);
    }

    private static string[] Instances(IEnumerable<TimeSeries> series) =>
        [.. series.Select(s => s.Labels.Single(l => l.Name == "instance").Value).Order()];

    [Fact]
    public async Task Fan_out_sends_every_request_to_every_destination_each_with_its_own_identity()
    {
        using var relay = await new DestinationsRelay(FanOut).ReadyAsync();

        using var response = await relay.WriteAsync(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 5, samplesPerSeries: 2)));

        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        var a = Assert.Single(relay.At("dce-a"));
        var b = Assert.Single(relay.At("dce-b"));
        Assert.StartsWith("Bearer client-a-", a.Authorization);
        Assert.StartsWith("Bearer client-b-", b.Authorization);
        Assert.Equal(new Uri(DestinationsRelay.Url("dce-a")), a.Uri);
        Assert.Equal((5, 10), RemoteWriteBodies.Count(a.Body));
        Assert.Equal((5, 10), RemoteWriteBodies.Count(b.Body));
    }

    [Fact]
    public async Task Fan_out_with_one_destination_failing_answers_503_the_healthy_one_still_receives_and_the_retry_delivers_to_both()
    {
        using var relay = await new DestinationsRelay(FanOut).ReadyAsync();
        var bFails = true;
        relay.Azure.Default = (request, _) => Task.FromResult(request.RequestUri!.Host.StartsWith("dce-b.", StringComparison.Ordinal) && bFails
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)) } }
            : new HttpResponseMessage(HttpStatusCode.OK));
        var body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 4));

        using var first = await relay.WriteAsync(body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.NotNull(first.Headers.RetryAfter);
        Assert.Contains("team-b", await first.Content.ReadAsStringAsync());
        Assert.Equal(4, relay.SeriesAt("dce-a").Count);

        // Prometheus sends it again after Retry-After: both have it; team-a has it twice (Azure stores a duplicate once).
        bFails = false;
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var again = await relay.WriteAsync(body);

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(8, relay.SeriesAt("dce-a").Count);
        Assert.Equal(2, relay.At("dce-b").Count);
        Assert.Equal(4, RemoteWriteBodies.Count(relay.At("dce-b")[^1].Body).Series);
    }

    [Fact]
    public async Task A_destinations_own_relabel_rules_apply_to_it_only_and_their_drops_are_counted_per_destination()
    {
        var rules = Path.GetTempFileName();
        File.WriteAllText(rules, """
            - source_labels: [instance]
              regex: host-1
              action: drop
            - regex: team
              action: labeldrop
            """);
        try
        {
            var yaml = FanOut.Replace("AZURE_CLIENT_ID: client-a}", "AZURE_CLIENT_ID: client-a}\n    relabel_config_file: " + rules, StringComparison.Ordinal);
            using var relay = await new DestinationsRelay(yaml).ReadyAsync();

            using var response = await relay.WriteAsync(Teams("a", "b", "c"));

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            var a = relay.SeriesAt("dce-a");
            Assert.Equal(["host-0", "host-2"], Instances(a));
            Assert.All(a, s => Assert.DoesNotContain(s.Labels, l => l.Name == "team"));
            Assert.Equal(["host-0", "host-1", "host-2"], Instances(relay.SeriesAt("dce-b")));
            Assert.All(relay.SeriesAt("dce-b"), s => Assert.Contains(s.Labels, l => l.Name == "team"));
            var metrics = await Poll.UntilAsync(() => relay.Client.GetStringAsync("/metrics"), t => t.Contains("reason=\"relabel\""), TimeSpan.FromSeconds(20));
            Assert.Matches(@"remotewrite_destination_dropped_total\{(?=[^}]*destination=""team-a"")(?=[^}]*reason=""relabel"")[^}]*\} 1\b", metrics);
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Fact]
    public async Task A_destination_rejecting_the_data_as_invalid_answers_400()
    {
        using var relay = await new DestinationsRelay(FanOut).ReadyAsync();
        relay.Azure.Default = (request, _) => Task.FromResult(new HttpResponseMessage(request.RequestUri!.Host.StartsWith("dce-a.", StringComparison.Ordinal) ? HttpStatusCode.BadRequest : HttpStatusCode.OK));

        using var response = await relay.WriteAsync(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 2)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("team-a", await response.Content.ReadAsStringAsync());
        Assert.Single(relay.At("dce-b"));
    }

    [Fact]
    public async Task Label_routes_split_a_request_by_series_and_what_matches_none_goes_to_the_default_destination()
    {
        using var relay = await new DestinationsRelay(Routed("{label: team, values: [a, ops]}", "{label: team, values: [b]}", defaultDestination: "rest")).ReadyAsync();

        using var response = await relay.WriteAsync(Teams("a", "b", null, "ops", "b", "x"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["host-0", "host-3"], Instances(relay.SeriesAt("dce-a")));
        Assert.Equal(["host-1", "host-4"], Instances(relay.SeriesAt("dce-b")));
        Assert.Equal(["host-2", "host-5"], Instances(relay.SeriesAt("dce-c")));
        Assert.StartsWith("Bearer client-c-", relay.At("dce-c")[0].Authorization);
    }

    [Fact]
    public async Task Without_a_default_destination_unrouted_series_are_dropped_and_counted()
    {
        using var relay = await new DestinationsRelay(Routed("{label: team, values: [a]}", "{label: team, values: [b]}")).ReadyAsync();

        using var response = await relay.WriteAsync(Teams("a", null, "zzz"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["host-0"], Instances(relay.SeriesAt("dce-a")));
        Assert.Empty(relay.At("dce-b"));
        Assert.Empty(relay.At("dce-c"));
        var metrics = await Poll.UntilAsync(() => relay.Client.GetStringAsync("/metrics"), t => t.Contains("remotewrite_destination_dropped"), TimeSpan.FromSeconds(20));
        Assert.Matches(@"remotewrite_destination_dropped_total\{[^}]*reason=""unrouted""[^}]*\} 2\b", metrics);
    }

    [Fact]
    public async Task Header_routes_send_the_whole_request_to_the_destination_the_header_names()
    {
        using var relay = await new DestinationsRelay(Routed("{header: X-Destination}", "{header: X-Destination, values: [bee, b]}", defaultDestination: "rest")).ReadyAsync();
        var body = Teams("a", "b", null);

        using var toB = await relay.WriteAsync(body, header: ("X-Destination", "bee"));
        using var toA = await relay.WriteAsync(body, header: ("X-Destination", "team-a"));
        using var none = await relay.WriteAsync(body);

        Assert.All(new[] { toB, toA, none }, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal(3, relay.SeriesAt("dce-b").Count);
        Assert.Equal(3, relay.SeriesAt("dce-a").Count);
        Assert.Equal(3, relay.SeriesAt("dce-c").Count);
    }

    [Fact]
    public async Task The_path_names_one_destination_and_an_unknown_name_is_404()
    {
        using var relay = await new DestinationsRelay(FanOut).ReadyAsync();
        var body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 3));

        using var toB = await relay.WriteAsync(body, "/api/v1/write/team-b");
        using var unknown = await relay.WriteAsync(body, "/api/v1/write/team-z");

        Assert.Equal(HttpStatusCode.NoContent, toB.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(relay.At("dce-a"));
        Assert.Single(relay.At("dce-b"));
    }
}
