using System.Net;
using System.Text.Json;
using RemoteWrite.Dapr.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests;

/// <summary>
/// ingress → stand-in daprd → Redis streams (a real redis-server) → forwarder → token service (via
/// invocation) → local Azure, every service a real process, every Dapr call over the real wire.
/// </summary>
[Slow]
[Collection(StackCollection.Name)]
public sealed class EndToEndTests(StackFixture fixture, ITestOutputHelper output)
{
    private readonly DaprStack _stack = fixture.Stack;

    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(90);

    [RedisFact]
    public async Task Every_acknowledged_sample_arrives_once_and_deliveries_are_merged_into_azure_requests()
    {
        await _stack.DrainAsync();
        var before = await _stack.AzureStatsAsync();
        var requestsBefore = await _stack.MetricAsync(_stack.Forwarder, "remotewrite_forwarder_azure_requests_total");
        var infoLinesBefore = InformationLines(_stack.Forwarder.Output); // the stack is shared: earlier tests logged too
        var run = Guid.NewGuid().ToString("N");
        const int Requests = 40, Series = 50, Samples = 4;
        await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            using var response = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, RemoteWriteBodies.Batch(run, i, Series, Samples)));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }));

        const long Expected = Requests * Series * Samples;
        await Poll.AssertAsync(async () => (await _stack.AzureStatsAsync()).Samples - before.Samples >= Expected, Arrival, $"{Expected} samples at Azure");
        await Task.Delay(1000);
        var after = await _stack.AzureStatsAsync();
        Assert.Equal(Expected, after.Samples - before.Samples);
        Assert.Equal(Requests * Series, after.Series - before.Series);

        // Batching: fewer Azure requests than deliveries, each within Azure's 1 MB.
        var azureRequests = await _stack.MetricAsync(_stack.Forwarder, "remotewrite_forwarder_azure_requests_total") - requestsBefore;
        var deliveries = await _stack.MetricAsync(_stack.Forwarder, "remotewrite_forwarder_batch_deliveries_sum");
        var batches = await _stack.MetricAsync(_stack.Forwarder, "remotewrite_forwarder_batch_deliveries_count");
        var bytes = await _stack.MetricAsync(_stack.Forwarder, "remotewrite_forwarder_batch_bytes_sum");
        output.WriteLine($"{Requests} deliveries → {azureRequests} Azure requests; overall {deliveries / batches:0.0} deliveries and {bytes / batches:0} bytes per request");
        Assert.True(azureRequests < Requests, $"expected merging, got {azureRequests} requests for {Requests} deliveries");

        // No Information line per delivery (Polly attempts, result executors): the log says what went wrong, not each success.
        var infoLines = InformationLines(_stack.Forwarder.Output) - infoLinesBefore;
        Assert.True(infoLines < 10, $"{infoLines} Information lines from the forwarder during this test:\n{_stack.Forwarder.OutputTail}");
        await _stack.DrainAsync(); // and Redis holds nothing pending or unread for the forwarder
    }

    [RedisFact]
    public async Task Forwarder_killed_mid_flight_then_restarted_loses_nothing()
    {
        await _stack.DrainAsync();
        var before = await _stack.AzureStatsAsync();
        var run = Guid.NewGuid().ToString("N");
        const int Requests = 20, Series = 20, Samples = 5;

        // Slow Azure down so deliveries are in flight when the forwarder dies.
        using (var slow = await _stack.Http.PostAsync(new Uri(_stack.LocalAzure.HttpAddress, "/admin/faults"), Json(new { latencyMs = 3000, seconds = 10, target = "ingestion" })))
        {
            slow.EnsureSuccessStatusCode();
        }

        for (var i = 0; i < Requests; i++)
        {
            using var response = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, RemoteWriteBodies.Batch(run, i, Series, Samples)));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode); // acknowledged: must arrive
        }

        await Task.Delay(1500);
        _stack.Forwarder.Kill();
        await _stack.Http.DeleteAsync(new Uri(_stack.LocalAzure.HttpAddress, "/admin/faults"));
        _stack.Forwarder.Start();
        await _stack.Forwarder.WaitUntilAsync("/ready", TimeSpan.FromSeconds(60));

        const long Expected = Requests * Series * Samples;
        await Poll.AssertAsync(async () => (await _stack.AzureStatsAsync()).Series - before.Series >= Requests * Series, Arrival, "every series after the crash");
        var after = await _stack.AzureStatsAsync();
        Assert.True(after.Samples - before.Samples >= Expected, $"{after.Samples - before.Samples} < {Expected}: acknowledged samples were lost");
        output.WriteLine($"after kill -9: {after.Samples - before.Samples} samples stored for {Expected} sent (duplicates from redelivery are harmless); redeliveries so far {_stack.Redelivered}");
    }

    [RedisFact]
    public async Task Azure_outage_of_60_seconds_is_retried_until_it_recovers_and_nothing_is_lost()
    {
        // The issue's case: a 60 s Azure outage. daprd redelivers under components/resiliency.yaml
        // (exponential, capped at its maxInterval), so arrival is bounded by the outage plus one interval.
        var outage = TimeSpan.FromSeconds(60);
        await _stack.DrainAsync();
        var before = await _stack.AzureStatsAsync();
        var redeliveredBefore = _stack.Redelivered;
        var retriesBefore = await _stack.MetricAsync(_stack.Forwarder, "remotewrite_forwarder_deliveries_total", "status=\"retry\"");
        await _stack.SetAzureFaultAsync(503, outage.TotalSeconds);
        var run = Guid.NewGuid().ToString("N");
        const int Requests = 10, Series = 10, Samples = 3;
        for (var i = 0; i < Requests; i++)
        {
            using var response = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, RemoteWriteBodies.Batch(run, i, Series, Samples)));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode); // acknowledged: must arrive
        }

        await Poll.AssertAsync(
            async () => _stack.Redelivered > redeliveredBefore && await _stack.MetricAsync(_stack.Forwarder, "remotewrite_forwarder_deliveries_total", "status=\"retry\"") > retriesBefore,
            outage, "RETRY answers and redeliveries during the outage");
        Assert.Equal(before.Samples, (await _stack.AzureStatsAsync()).Samples);

        var bound = outage + DaprYaml.DeliveryRetry().MaxInterval + Arrival;
        await Poll.AssertAsync(async () => (await _stack.AzureStatsAsync()).Samples - before.Samples >= Requests * Series * Samples, bound, "every sample after the outage");
        await DrainAndCheckAsync(before, Requests * Series, Requests * Series * Samples);
        output.WriteLine($"60 s outage: {_stack.Redelivered - redeliveredBefore} redeliveries, all {Requests * Series * Samples} samples stored");
    }

    private async Task DrainAndCheckAsync((long Samples, long Requests, long Series) before, long series, long samples)
    {
        await _stack.DrainAsync();
        var after = await _stack.AzureStatsAsync();
        Assert.Equal(series, after.Series - before.Series);
        Assert.True(after.Samples - before.Samples >= samples, $"{after.Samples - before.Samples} < {samples}: acknowledged samples were lost");
    }

    [RedisFact]
    public async Task Ingress_publishes_the_raw_body_with_its_facts_as_the_hand_off_contract_says()
    {
        var mark = _stack.Broker.Observer.LastEntryId(DaprNames.Topic);
        var end = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        const int Series = 6, Samples = 4;
        using (var response = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, RemoteWriteBodies.Batch(Guid.NewGuid().ToString("N"), 0, Series, Samples, end))))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var message = Assert.Single(_stack.Broker.Observer.MessagesAfter(DaprNames.PubSub, DaprNames.Topic, mark));
        Assert.True(message.Raw, "published with rawPayload: the broker stores the body, not a CloudEvent");
        Assert.True(MessageFacts.TryRead(message.Metadata, out var facts));
        Assert.Equal(new MessageFacts(Series * Samples, 0, end.AddSeconds(-(Samples - 1)).ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), DaprStack.Destination), facts);
        Assert.Equal((Series, Series * Samples), RemoteWriteBodies.Count(message.Data));
    }

    [RedisFact]
    public async Task Token_service_down_means_retry_and_the_forwarder_recovers_when_it_is_back()
    {
        await _stack.DrainAsync();
        var before = await _stack.AzureStatsAsync();
        _stack.TokenService.Kill();
        // Azure refuses the forwarder's token once: it must fetch a new one, and cannot.
        using (var refuse = await _stack.Http.PostAsync(new Uri(_stack.LocalAzure.HttpAddress, "/admin/faults"), Json(new { status = 401, requests = 1, target = "ingestion" })))
        {
            refuse.EnsureSuccessStatusCode();
        }

        var retriesBefore = await _stack.MetricAsync(_stack.Forwarder, "remotewrite_forwarder_deliveries_total", "status=\"retry\"");
        var run = Guid.NewGuid().ToString("N");
        using (var response = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, RemoteWriteBodies.Batch(run, 0, 10, 2))))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await Poll.AssertAsync(async () => await _stack.MetricAsync(_stack.Forwarder, "remotewrite_forwarder_deliveries_total", "status=\"retry\"") > retriesBefore, TimeSpan.FromSeconds(60), "RETRY while the token service is down");
        _stack.TokenService.Start();
        await _stack.TokenService.WaitUntilAsync("/ready", TimeSpan.FromSeconds(60));
        await Poll.AssertAsync(async () => (await _stack.AzureStatsAsync()).Samples - before.Samples >= 20, Arrival, "samples after the token service is back");
    }

    [RedisFact]
    public async Task Only_the_forwarder_may_get_a_token()
    {
        // Through the ingress' sidecar: the token service's sidecar applies the access control → 403.
        using var denied = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.IngressSidecar.HttpEndpoint, $"/v1.0/invoke/{DaprNames.TokenServiceAppId}/method/{DaprNames.TokenMethod}"));
        denied.Headers.Add("dapr-api-token", _stack.IngressSidecar.Options.DaprApiToken);
        using var deniedResponse = await _stack.Http.SendAsync(denied);
        Assert.Equal(HttpStatusCode.Forbidden, deniedResponse.StatusCode);
        Assert.Contains("ERR_DIRECT_INVOKE", await deniedResponse.Content.ReadAsStringAsync());

        // Straight to the app, skipping the sidecar (no app token) → 401.
        using var direct = await _stack.Http.GetAsync(new Uri(_stack.TokenService.Address, "/" + DaprNames.TokenMethod));
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);

        // Wrong app token → 401 too.
        using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.TokenService.Address, "/" + DaprNames.TokenMethod));
        wrong.Headers.Add("dapr-api-token", "not-the-token");
        using var wrongResponse = await _stack.Http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);

        // Through the forwarder's sidecar → 200 with a token that expires in the future.
        using var allowed = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.ForwarderSidecar.HttpEndpoint, $"/v1.0/invoke/{DaprNames.TokenServiceAppId}/method/{DaprNames.TokenMethod}"));
        allowed.Headers.Add("dapr-api-token", _stack.ForwarderSidecar.Options.DaprApiToken);
        using var allowedResponse = await _stack.Http.SendAsync(allowed);
        Assert.Equal(HttpStatusCode.OK, allowedResponse.StatusCode);
        using var token = JsonDocument.Parse(await allowedResponse.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(token.RootElement.GetProperty("accessToken").GetString()));
        Assert.True(token.RootElement.GetProperty("expiresOn").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        // And the sidecar's own API refuses a caller without the Dapr API token.
        using var noApiToken = await _stack.Http.GetAsync(new Uri(_stack.ForwarderSidecar.HttpEndpoint, $"/v1.0/invoke/{DaprNames.TokenServiceAppId}/method/{DaprNames.TokenMethod}"));
        Assert.Equal(HttpStatusCode.Unauthorized, noApiToken.StatusCode);
    }

    [RedisFact]
    public async Task Ingress_answers_503_while_the_broker_refuses_and_204_again_after()
    {
        var body = RemoteWriteBodies.Batch(Guid.NewGuid().ToString("N"), 0, 5, 1);
        using (_stack.Broker.RefusePublishes())
        {
            using var refused = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, body));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        using var accepted = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, body));
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
    }

    [RedisFact]
    public async Task Forwarder_logs_the_side_car_line_with_non_zero_averages()
    {
        using (var response = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, RemoteWriteBodies.Batch(Guid.NewGuid().ToString("N"), 0, 5, 1))))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await Poll.AssertAsync(
            () => Task.FromResult(System.Text.RegularExpressions.Regex.IsMatch(_stack.Forwarder.Output,
                @"time=""[^""]+"" level=info msg=""Metric packets published in last 1 minute"" avgBytesPerRequest=[1-9]\d* avgRequestDurationInSec=[0-9.]+ failedPublishing=\d+ successfullyPublished=[1-9]\d* retriedMessages=\d+ droppedSamples=\d+")),
            TimeSpan.FromSeconds(30),
            "the per-interval side-car line with a successful publish");
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    private static int InformationLines(string output) =>
        output.Split('\n').Count(l => l.Contains("info: ", StringComparison.Ordinal) && !l.Contains("Microsoft.Hosting.Lifetime", StringComparison.Ordinal));
}
