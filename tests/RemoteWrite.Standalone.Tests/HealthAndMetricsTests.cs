using System.Net;
using Azure.Core;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>/health, /ready (on the token, CONTRACT.md §3a) and /metrics.</summary>
/// <remarks>Alone: OpenTelemetry listens to every meter of a name in the process, so a parallel test's counts would add up.</remarks>
[Collection(SerialCollection.Name)]
public sealed class HealthAndMetricsTests
{
    [Fact]
    public async Task Ready_answers_503_until_a_token_is_held_while_health_stays_200()
    {
        var gate = new TaskCompletionSource();
        var credentials = new FakeCredentialFactory((_, _) => new FakeCredential(_ =>
        {
            if (!gate.Task.IsCompleted)
            {
                throw new InvalidOperationException("AADSTS700016: scripted failure");
            }

            return new AccessToken("real-keeper-token", DateTimeOffset.UtcNow.AddHours(1));
        }));
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["Identity:MinRetryDelay"] = "00:00:00.100", ["Identity:MaxRetryDelay"] = "00:00:00.200" }, credentials);
        using var client = relay.CreateClient();

        using (var ready = await client.GetAsync("/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("no Entra ID token", await ready.Content.ReadAsStringAsync());
        }

        using (var health = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        gate.SetResult();
        var status = await Poll.UntilAsync(async () => (await client.GetAsync("/ready")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, status);

        // The keeper's token is what the sender uses.
        using var response = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(3))));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("Bearer real-keeper-token", Assert.Single(relay.Azure.Requests).Authorization);
    }

    [Fact]
    public async Task Ready_answers_503_again_when_the_token_is_lost()
    {
        using var relay = new RelayFactory();
        using var client = relay.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ready")).StatusCode);

        relay.Tokens.Empty = true;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Metrics_show_received_sent_dropped_requests_and_latencies()
    {
        using var relay = new RelayFactory();
        using var client = relay.CreateClient();
        var old = RemoteWriteBodies.Request(2, timestampMs: DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds());
        var fresh = RemoteWriteBodies.Request(5, samplesPerSeries: 2);
        foreach (var series in old.Timeseries)
        {
            fresh.Timeseries.Add(series);
        }

        using var response = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(fresh)));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var text = await Poll.UntilAsync(() => client.GetStringAsync("/metrics"), t => t.Contains("remotewrite_sender_samples"), TimeSpan.FromSeconds(20));
        Assert.Matches(@"remotewrite_receiver_samples_total(\{[^}]*\})? 12\b", text);
        Assert.Matches(@"remotewrite_sender_samples_total(\{[^}]*\})? 10\b", text);
        Assert.Matches(@"remotewrite_receiver_dropped_total\{[^}]*reason=""too_old""[^}]*\} 2\b", text);
        Assert.Matches(@"remotewrite_receiver_requests_total\{[^}]*code=""204""", text);
        Assert.Matches(@"remotewrite_sender_requests_total\{[^}]*code=""200""", text);
        Assert.Contains("remotewrite_sender_duration_seconds_bucket", text);
        Assert.Contains("remotewrite_receiver_duration_seconds_bucket", text);
        Assert.DoesNotContain("token-1", text);
    }
}
