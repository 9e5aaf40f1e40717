using System.Diagnostics;
using System.Net;
using RemoteWrite.LocalAzure.Tests.Infrastructure;
using Xunit.Abstractions;
using static RemoteWrite.Testing.RemoteWriteBodies;

namespace RemoteWrite.LocalAzure.Tests;

/// <summary>
/// The whole ingestion path (auth, read, snappy, walk, store, stats) under a bounded in-process load:
/// every sample is counted. The CPU figure is printed for information only; the claim about cost
/// comes from tests/RemoteWrite.Benchmarks.
/// </summary>
public sealed class IngestionLoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_hundred_requests_of_2000_samples_are_all_counted()
    {
        using var factory = new LocalAzureFactory();
        using var client = factory.CreateClient();
        var token = await Tokens.DevAppTokenAsync(client);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var body = Compress(Enumerable.Range(0, 2000)
            .Select(i => Series("http_requests_total", now, i, ("instance", $"10.0.{i / 250}.{i % 250}:9090"), ("job", "api"), ("method", i % 2 == 0 ? "GET" : "POST")))
            .ToArray());
        using (var warm = await client.SendAsync(IngestionPost(body, token)))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        const int requests = 100;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            using var response = await client.SendAsync(IngestionPost(body, token));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        watch.Stop();
        var samples = requests * 2000.0;
        var cpuNs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / samples;
        output.WriteLine($"ingestion path: {watch.Elapsed.TotalNanoseconds / samples:0} ns/sample wall, {cpuNs:0} ns/sample process CPU (client included), {body.Length} compressed bytes per 2000 samples");
        var stats = await Tokens.StatsAsync(client);
        Assert.Equal((requests + 1) * 2000, stats.GetProperty("total").GetProperty("samples").GetInt64());
    }
}
