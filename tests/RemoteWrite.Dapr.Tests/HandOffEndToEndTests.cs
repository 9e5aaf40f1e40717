using System.Net;
using System.Text.Json;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests;

/// <summary>
/// The hand-off contract end to end (ingress, or a publish straight to Redis → stand-in daprd → forwarder →
/// token service → local Azure): a bulk far over Kestrel's default 30 MB body limit, a slow Azure without duplicate
/// storms, and a refused token replaced at the token service.
/// </summary>
[Slow]
[Collection(StackCollection.Name)]
public sealed class HandOffEndToEndTests(StackFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(120);

    private readonly DaprStack _stack = fixture.Stack;

    [RedisFact]
    public async Task A_bulk_over_30_megabytes_is_accepted_and_every_entry_delivered_once()
    {
        await _stack.DrainAsync();
        var before = await _stack.AzureStatsAsync();
        var redeliveredBefore = _stack.Redelivered;
        var now = DateTimeOffset.UtcNow;
        var run = Guid.NewGuid().ToString("N");

        // Messages just under the ingress' 1,000,000-byte limit, sized from a sample body.
        var probe = RemoteWriteBodies.Batch(run, -1, 1000, 2, now, noise: true).Length;
        var series = (int)(1000L * 950_000 / probe);
        var messages = DaprYaml.PubSubSettings().Concurrency; // one full bulk
        var bodies = Enumerable.Range(0, messages).Select(i => RemoteWriteBodies.Batch(run, i, series, 2, now, noise: true)).ToList();
        var facts = new MessageFacts(series * 2, 0, now.AddSeconds(-1).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), DaprStack.Destination);
        Assert.All(bodies, body => Assert.InRange(body.Length, 800_000, HandOff.DefaultMaxMessageBytes));

        // All at once (one MULTI/EXEC), as a backlog: the sidecar gathers them into one bulk.
        await _stack.Broker.Observer.PublishAtOnceAsync([.. bodies.Select(body => new BrokerMessage(Guid.NewGuid().ToString(), DaprNames.PubSub, DaprNames.Topic, body, facts.ToPublishMetadata(), body.Length))]);

        long expected = (long)messages * series * 2;
        await Poll.AssertAsync(async () => (await _stack.AzureStatsAsync()).Samples - before.Samples >= expected, Arrival, $"{expected} samples at Azure");
        await _stack.DrainAsync();

        var largest = _stack.ForwarderSidecar.Runtime.LargestDelivery;
        output.WriteLine($"{messages} messages of ~{series * 2} samples; largest delivery {largest / 1e6:0.0} MB");
        Assert.True(largest > 30_000_000, $"the largest delivery was {largest} bytes");
        Assert.Equal(expected, (await _stack.AzureStatsAsync()).Samples - before.Samples);
        Assert.Equal(redeliveredBefore, _stack.Redelivered);
    }

    [RedisFact]
    public async Task With_azure_answering_every_post_2_s_late_duplicates_stay_under_1_percent()
    {
        await _stack.DrainAsync();
        var before = await _stack.AzureStatsAsync();
        var redeliveredBefore = _stack.Redelivered;
        var timedOutBefore = _stack.ForwarderSidecar.Runtime.TimedOutDeliveries;
        var run = Guid.NewGuid().ToString("N");
        const int Requests = 160, Series = 1000, Samples = 2; // ~100 KB messages, as Prometheus' 2,000-sample requests
        await _stack.LocalAzure.SetFaultAsync("""{"latencyMs":2000,"seconds":600,"target":"ingestion"}""");
        try
        {
            using var gate = new SemaphoreSlim(8);
            await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    using var response = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, RemoteWriteBodies.Batch(run, i, Series, Samples, DateTimeOffset.UtcNow, noise: true)));
                    Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                }
                finally
                {
                    gate.Release();
                }
            }));

            const long Expected = (long)Requests * Series * Samples;
            await Poll.AssertAsync(async () => (await _stack.AzureStatsAsync()).Samples - before.Samples >= Expected, Arrival, $"{Expected} samples at Azure");
            await _stack.DrainAsync();
            var arrived = (await _stack.AzureStatsAsync()).Samples - before.Samples;
            var duplicates = arrived - Expected;
            output.WriteLine($"slow Azure: {Expected} acknowledged, {arrived} arrived ({100.0 * duplicates / Expected:0.00}% duplicates), {_stack.Redelivered - redeliveredBefore} redeliveries, {_stack.ForwarderSidecar.Runtime.TimedOutDeliveries - timedOutBefore} timed-out bulks");
            Assert.InRange(duplicates, 0, Expected / 100);

            // The delivery lag keeps its own buckets (up to an hour), not the shared sub-second ones.
            var metrics = await _stack.Http.GetStringAsync(new Uri(_stack.Forwarder.Address, "/metrics"));
            Assert.Matches(@"remotewrite_forwarder_delivery_lag_seconds_bucket\{[^}]*le=""600""\}", metrics);
            Assert.Equal(timedOutBefore, _stack.ForwarderSidecar.Runtime.TimedOutDeliveries);
        }
        finally
        {
            using var clear = await _stack.Http.DeleteAsync(new Uri(_stack.LocalAzure.HttpAddress, "/admin/faults"));
        }
    }

    [RedisFact]
    public async Task A_token_azure_refuses_is_replaced_at_the_token_service_from_entra_id()
    {
        await _stack.DrainAsync();
        var before = await _stack.AzureStatsAsync();
        var issuedBefore = await _stack.LocalAzure.TokensIssuedAsync("secret");
        var refusedBefore = await _stack.LocalAzure.RejectedAsync(401);
        await _stack.LocalAzure.SetFaultAsync("""{"status":401,"requests":1,"target":"ingestion"}""");

        using (var response = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, RemoteWriteBodies.Batch(Guid.NewGuid().ToString("N"), 0, 10, 3))))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await Poll.AssertAsync(async () => (await _stack.AzureStatsAsync()).Samples - before.Samples >= 30, Arrival, "the samples after the refused token");
        Assert.Equal(refusedBefore + 1, await _stack.LocalAzure.RejectedAsync(401));
        Assert.True(await _stack.LocalAzure.TokensIssuedAsync("secret") > issuedBefore, "the token service must get a new token from Entra ID, not hand back the refused one");
    }

    [RedisFact]
    public async Task Forwarder_subscribes_raw_and_bulk_to_the_topic_and_the_retry_topic_both_dead_lettering_into_the_retry_topic()
    {
        // As daprd asks: with the app token.
        using var ask = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.Forwarder.Address, "/dapr/subscribe"));
        ask.Headers.Add("dapr-api-token", _stack.ForwarderSidecar.Options.AppApiToken);
        using var answer = await _stack.Http.SendAsync(ask);
        var text = await answer.Content.ReadAsStringAsync();
        var subscriptions = Subscription.Parse(text);

        Assert.Equal([DaprNames.Topic, DaprNames.RetryTopic], subscriptions.Select(s => s.Topic).Order(StringComparer.Ordinal));
        Assert.All(subscriptions, s =>
        {
            Assert.True(s.RawPayload, text);
            Assert.True(s.Bulk, text);
            Assert.Equal(DaprNames.RetryTopic, s.DeadLetterTopic);
            Assert.Equal(DaprNames.PubSub, s.PubSub);
        });
        Assert.Equal("/" + DaprNames.RetryDeliveryRoute, subscriptions.Single(s => s.Topic == DaprNames.RetryTopic).Route);
    }

    [RedisFact]
    public async Task Forwarder_metrics_exist_at_zero_before_their_first_event()
    {
        var text = await _stack.Http.GetStringAsync(new Uri(_stack.Forwarder.Address, "/metrics"));

        Assert.Contains("remotewrite_forwarder_dropped_total{", text);
        Assert.Contains("reason=\"too_new\"", text);
        Assert.Contains("remotewrite_forwarder_dropped_messages_total{", text);
        Assert.Contains("remotewrite_forwarder_deliveries_total{", text);
        Assert.Contains("status=\"drop\"", text);
    }
}
