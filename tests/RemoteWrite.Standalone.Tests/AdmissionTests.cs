using System.Diagnostics;
using System.Net;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>
/// Admission control (services/RemoteWrite.Hosting/Admission): beyond the budget of requests or bytes
/// in flight the relay answers 503 with Retry-After at once, before reading the body, and what it
/// admitted is still delivered.
/// </summary>
public sealed class AdmissionTests
{
    private static readonly byte[] Body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 10, samplesPerSeries: 3));

    [Fact]
    public async Task Over_the_request_budget_answers_503_with_Retry_After_without_reading_the_body()
    {
        var port = FreePort.Next();
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["Admission:MaxConcurrentRequests"] = "1", ["Admission:RetryAfterSeconds"] = "3", ["LISTENING_PORT"] = $"{port}" });
        var release = HoldAzure(relay);
        using var client = relay.StartKestrel(port);

        var first = client.SendAsync(RemoteWriteBodies.Post(Body));
        await WaitForAzureAsync(relay, 1);

        // Headers only, the body held back: an answer proves the relay did not wait to read it.
        await using (var raw = await RawHttp.ConnectAsync(port))
        {
            await raw.SendAsync(RawHttp.WriteHeaders(Body.Length));
            var refused = await raw.ReadAnswerAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(refused);
            Assert.Equal(503, refused.Status);
            Assert.Equal("3", refused.Headers["Retry-After"]);
            Assert.Contains("requests in flight", refused.BodyStart);
        }

        release.SetResult();
        using var admitted = await first;
        Assert.Equal(HttpStatusCode.NoContent, admitted.StatusCode);
        Assert.Single(relay.Azure.Requests);

        // The slot is given back: the next request goes through.
        using var after = await client.SendAsync(RemoteWriteBodies.Post(Body));
        Assert.Equal(HttpStatusCode.NoContent, after.StatusCode);
    }

    [Fact]
    public async Task Over_the_byte_budget_answers_503_before_reading_while_a_request_holds_bytes()
    {
        var port = FreePort.Next();
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["Admission:MaxInFlightBytes"] = "1048576", ["LISTENING_PORT"] = $"{port}" });
        var release = HoldAzure(relay);
        using var client = relay.StartKestrel(port);

        var first = client.SendAsync(RemoteWriteBodies.Post(Body));
        await WaitForAzureAsync(relay, 1);

        await using (var raw = await RawHttp.ConnectAsync(port))
        {
            await raw.SendAsync(RawHttp.WriteHeaders(1024 * 1024));
            var refused = await raw.ReadAnswerAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(refused);
            Assert.Equal(503, refused.Status);
            Assert.Equal("5", refused.Headers["Retry-After"]);
            Assert.Equal("close", refused.Headers["Connection"]);
            Assert.Contains("bytes in flight", refused.BodyStart);
        }

        release.SetResult();
        Assert.Equal(HttpStatusCode.NoContent, (await first).StatusCode);
    }

    [Fact]
    public async Task A_body_larger_than_the_whole_budget_is_admitted_alone()
    {
        // 1 MiB budget; a body that declares and decodes to more is still served when nothing else is held.
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["Admission:MaxInFlightBytes"] = "1048576" });
        using var client = relay.CreateClient();
        var large = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 20_000, samplesPerSeries: 2));
        Assert.True(2L * large.Length > 1048576 / 4, "the body must be large against the budget");

        using var response = await client.SendAsync(RemoteWriteBodies.Post(large));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(40_000, relay.Azure.Requests.Sum(r => RemoteWriteBodies.Count(r.Body).Samples));
    }

    [Fact]
    public async Task A_request_past_its_deadline_answers_503_in_time_and_the_parts_go_concurrently()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?>
        {
            ["Receiver:RequestDeadline"] = "00:00:02",
            ["RemoteWrite:MaxPartBytes"] = "16384",
            ["AzureMonitor:MaxConcurrentSendsPerBatch"] = "3",
        });
        var inFlight = 0;
        var most = 0;
        relay.Azure.Default = async (_, cancel) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancel);
                return new HttpResponseMessage(HttpStatusCode.OK);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        };
        using var client = relay.CreateClient();
        var split = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 4_000, samplesPerSeries: 1));

        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(RemoteWriteBodies.Post(split));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 10);
        Assert.Contains("request deadline", await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(3, most); // three parts at once, never more
    }

    [Fact]
    public async Task A_split_request_is_delivered_whole_with_its_parts_sent_concurrently()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?>
        {
            ["RemoteWrite:MaxPartBytes"] = "16384",
            ["AzureMonitor:MaxConcurrentSendsPerBatch"] = "2",
        });
        var inFlight = 0;
        var most = 0;
        relay.Azure.Default = async (_, cancel) =>
        {
            InterlockedMax(ref most, Interlocked.Increment(ref inFlight));
            await Task.Delay(50, cancel);
            Interlocked.Decrement(ref inFlight);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };
        using var client = relay.CreateClient();
        var split = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 4_000, samplesPerSeries: 1));

        using var response = await client.SendAsync(RemoteWriteBodies.Post(split));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(relay.Azure.Requests.Count > 2, $"split into {relay.Azure.Requests.Count} parts");
        Assert.Equal(4_000, relay.Azure.Requests.Sum(r => RemoteWriteBodies.Count(r.Body).Samples));
        Assert.Equal(2, most);
    }

    [Fact]
    public async Task More_series_than_the_limit_answers_413()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["RemoteWrite:MaxSeriesPerRequest"] = "100" });
        using var client = relay.CreateClient();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 101))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("101 series exceed the limit of 100", await response.Content.ReadAsStringAsync());
        Assert.Empty(relay.Azure.Requests);
    }

    private static TaskCompletionSource HoldAzure(RelayFactory relay)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        relay.Azure.Default = async (_, cancel) =>
        {
            await release.Task.WaitAsync(cancel);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };
        return release;
    }

    private static async Task WaitForAzureAsync(RelayFactory relay, int requests) =>
        Assert.True(await Poll.UntilAsync(() => relay.Azure.Requests.Count >= requests, TimeSpan.FromSeconds(10)), "Azure got no request");

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
