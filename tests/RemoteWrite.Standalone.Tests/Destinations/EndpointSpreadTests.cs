using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using RemoteWrite.Core.Azure.Check;
using RemoteWrite.Core.Protocol.V1;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Destinations;

/// <summary>Several ingestion endpoints of one destination: spread by series hash or least load, a failing one avoided, the per-minute budget kept.</summary>
public sealed class EndpointSpreadTests
{
    private static string TwoEndpoints(string balance = "series-hash", int? perMinute = null) => $"""
        destinations:
          - name: ws
            endpoints: ["{DestinationsRelay.Url("dce-1")}", "{DestinationsRelay.Url("dce-2")}"]
            balance: {balance}
            {(perMinute is { } n ? "max_requests_per_minute: " + n : "")}
            identity: {"{"}IDENTITY_TYPE: userAssigned, AZURE_CLIENT_ID: client-ws{"}"}
        default_destination: ws
        """;

    private static string[] Instances(IEnumerable<TimeSeries> series) =>
        [.. series.Select(s => s.Labels.Single(l => l.Name == "instance").Value).Order()];

    [Fact]
    public async Task Series_hash_spreads_series_over_the_endpoints_and_one_series_always_goes_to_the_same_one()
    {
        using var relay = await new DestinationsRelay(TwoEndpoints()).ReadyAsync();
        var body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 40));

        using var first = await relay.WriteAsync(body);
        var one = Instances(relay.SeriesAt("dce-1"));
        var two = Instances(relay.SeriesAt("dce-2"));
        using var second = await relay.WriteAsync(body);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.NotEmpty(one);
        Assert.NotEmpty(two);
        Assert.Equal(40, one.Length + two.Length);
        Assert.Empty(one.Intersect(two));
        Assert.Equal(one.SelectMany(i => new[] { i, i }).Order(), Instances(relay.SeriesAt("dce-1")));
        Assert.Equal(two.SelectMany(i => new[] { i, i }).Order(), Instances(relay.SeriesAt("dce-2")));
    }

    [Fact]
    public async Task An_endpoint_answering_503_is_avoided_its_series_move_to_the_other_in_the_same_request_and_nothing_is_lost()
    {
        using var relay = await new DestinationsRelay(TwoEndpoints()).ReadyAsync();
        relay.Azure.Default = (request, _) => Task.FromResult(request.RequestUri!.Host.StartsWith("dce-2.", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(60)) } }
            : new HttpResponseMessage(HttpStatusCode.OK));
        var body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 40));

        using var first = await relay.WriteAsync(body);
        var triedAtTwo = relay.At("dce-2").Count;
        using var second = await relay.WriteAsync(body);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal(1, triedAtTwo);
        Assert.Equal(triedAtTwo, relay.At("dce-2").Count); // avoided for its Retry-After: not tried again
        var accepted = Instances(relay.SeriesAt("dce-1"));
        Assert.Equal(80, accepted.Length);
        Assert.Equal(40, accepted.Distinct().Count());
        var metrics = await Poll.UntilAsync(() => relay.Client.GetStringAsync("/metrics"), t => t.Contains("remotewrite_destination_endpoint_avoided"), TimeSpan.FromSeconds(20));
        Assert.Matches(@"remotewrite_destination_endpoint_avoided_total\{[^}]*endpoint=""https://dce-2\.[^""]*""[^}]*reason=""unhealthy""[^}]*\} 1\b", metrics);
        Assert.Matches(@"remotewrite_sender_requests_total\{[^}]*destination=""ws""[^}]*endpoint=""https://dce-2\.[^}]*\} 1\b", metrics);
    }

    [Fact]
    public async Task Least_load_keeps_each_endpoint_under_its_requests_per_minute_and_answers_503_when_all_are_spent()
    {
        using var relay = await new DestinationsRelay(TwoEndpoints("least-load", perMinute: 1)).ReadyAsync();
        var body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 3));

        using var first = await relay.WriteAsync(body);
        using var second = await relay.WriteAsync(body);
        using var third = await relay.WriteAsync(body);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Single(relay.At("dce-1"));
        Assert.Single(relay.At("dce-2"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.InRange(third.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task The_check_command_tries_every_endpoint_of_every_destination_with_its_own_identity()
    {
        using var relay = await new DestinationsRelay(TwoEndpoints()).ReadyAsync();
        relay.Azure.Default = (request, _) => Task.FromResult(new HttpResponseMessage(request.RequestUri!.Host.StartsWith("dce-2.", StringComparison.Ordinal) ? HttpStatusCode.Forbidden : HttpStatusCode.OK));

        var verdicts = await relay.Factory.Services.GetRequiredService<ConnectionCheck>().RunAsync(CancellationToken.None);

        Assert.Equal(2, verdicts.Count);
        Assert.All(verdicts, v => Assert.Equal("ws", v.Destination));
        Assert.Equal(CheckProblem.None, verdicts.Single(v => v.ToString().Contains("dce-1.", StringComparison.Ordinal)).Problem);
        Assert.Equal(CheckProblem.Role, verdicts.Single(v => v.ToString().Contains("dce-2.", StringComparison.Ordinal)).Problem);
        Assert.All(relay.Azure.Requests, r => Assert.StartsWith("Bearer client-ws-", r.Authorization));
    }

    [Fact]
    public async Task Without_DESTINATIONS_FILE_a_destination_path_is_404_and_the_plain_path_works_as_before()
    {
        using var relay = new RelayFactory();
        using var client = relay.CreateClient();
        var body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 2));

        using var named = await client.SendAsync(RemoteWriteBodies.Post(new Uri(client.BaseAddress!, "/api/v1/write/default"), body));
        using var plain = await client.SendAsync(RemoteWriteBodies.Post(body));

        Assert.Equal(HttpStatusCode.NotFound, named.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, plain.StatusCode);
        Assert.Single(relay.Azure.Requests);
    }
}
