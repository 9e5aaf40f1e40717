using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.LocalAzure.Tests.Infrastructure;
using static RemoteWrite.Testing.RemoteWriteBodies;

namespace RemoteWrite.LocalAzure.Tests;

/// <summary>Faults set through <c>/admin/faults</c>: statuses, Retry-After, latency, connection resets.</summary>
public sealed class FaultInjectionTests : IDisposable
{
    private readonly LocalAzureFactory _factory = new();
    private readonly HttpClient _client;

    public FaultInjectionTests() => _client = _factory.CreateClient();

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(503, 5)]
    [InlineData(500, null)]
    [InlineData(429, 7)]
    public async Task Injected_status_is_answered_with_its_Retry_After_until_cleared(int status, int? retryAfter)
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        using var set = await _client.PostAsJsonAsync("/admin/faults", new { status, seconds = 600, retryAfterSeconds = retryAfter });
        Assert.Equal(HttpStatusCode.Created, set.StatusCode);

        using var faulted = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
        using var clear = await _client.DeleteAsync("/admin/faults");
        using var healthy = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));

        Assert.Equal(status, (int)faulted.StatusCode);
        Assert.Equal(retryAfter, (int?)faulted.Headers.RetryAfter?.Delta?.TotalSeconds);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        var stats = await Tokens.StatsAsync(_client);
        Assert.Equal(1, stats.GetProperty("total").GetProperty("rejected").GetProperty(status.ToString()).GetInt64());
        Assert.Equal(1, stats.GetProperty("total").GetProperty("samples").GetInt64());
    }

    [Fact]
    public async Task A_fault_for_N_requests_ends_by_itself()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        using var set = await _client.PostAsJsonAsync("/admin/faults", new { status = 503, requests = 2 });
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([503, 503, 200], statuses);
    }

    [Fact]
    public async Task A_fault_for_N_seconds_ends_by_itself()
    {
        // The stand-in's clock, moved by hand: no real waiting.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = new LocalAzureFactory(time: time);
        using var client = factory.CreateClient();
        var token = await Tokens.DevAppTokenAsync(client);
        using var set = await client.PostAsJsonAsync("/admin/faults", new { status = 503, seconds = 0.5 });
        using var during = await client.SendAsync(IngestionPost(Compress(Series("up", time.GetUtcNow().ToUnixTimeMilliseconds(), 1)), token));
        time.Advance(TimeSpan.FromMilliseconds(700));
        using var after = await client.SendAsync(IngestionPost(Compress(Series("up", time.GetUtcNow().ToUnixTimeMilliseconds(), 1)), token));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Injected_latency_delays_the_answer()
    {
        var token = await Tokens.DevAppTokenAsync(_client);
        using var set = await _client.PostAsJsonAsync("/admin/faults", new { latencyMs = 400, seconds = 60 });
        var watch = Stopwatch.StartNew();
        using var response = await _client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 380, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Token_faults_apply_to_the_token_endpoint_only()
    {
        using var set = await _client.PostAsJsonAsync("/admin/faults", new { status = 503, requests = 1, target = "token" });
        using var response = await _client.PostAsync("/t/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(await Tokens.DevAppTokenAsync(_client)));
    }

    [Fact]
    public async Task Connection_reset_aborts_the_connection_on_real_sockets()
    {
        using var kestrel = new LocalAzureFactory().StartKestrel();
        using var client = new HttpClient { BaseAddress = kestrel.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        var token = await Tokens.DevAppTokenAsync(client);
        using var set = await client.PostAsJsonAsync("/admin/faults", new { reset = true, requests = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token)));
        using var after = await client.SendAsync(IngestionPost(Compress(Series("up", NowMs, 1)), token));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }
}
