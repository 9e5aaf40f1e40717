using System.Diagnostics;
using System.Net;
using RemoteWrite.LocalAzure.Tests.Infrastructure;
using Xunit.Abstractions;
using static RemoteWrite.LocalAzure.Tests.Infrastructure.RemoteWriteBodies;

namespace RemoteWrite.LocalAzure.Tests;

/// <summary>
/// The whole ingestion path (auth, read, snappy, walk, store, stats) per sample, in-process, so relays
/// measured against the stand-in are not measuring the stand-in.
/// </summary>
public sealed class IngestionCostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_ingestion_path_costs_a_few_microseconds_per_sample_at_most()
    {
        using var factory = new LocalAzureFactory();
        using var client = factory.CreateClient();
        var token = await Tokens.DevAppTokenAsync(client);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var body = Compress(Enumerable.Range(0, 2000)
            .Select(i => Series("http_requests_total", now, i, ("instance", $"10.0.{i / 250}.{i % 250}:9090"), ("job", "api"), ("method", i % 2 == 0 ? "GET" : "POST")))
            .ToArray());
        using (var warm = await client.SendAsync(Write(body, token)))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        const int requests = 100;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            using var response = await client.SendAsync(Write(body, token));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        watch.Stop();
        var samples = requests * 2000.0;
        var cpuNs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / samples;
        output.WriteLine($"ingestion path: {watch.Elapsed.TotalNanoseconds / samples:0} ns/sample wall, {cpuNs:0} ns/sample process CPU (client included), {body.Length} compressed bytes per 2000 samples");
        Assert.True(cpuNs < 20_000, $"{cpuNs:0} ns CPU per sample");
        var stats = await Tokens.StatsAsync(client);
        Assert.Equal((requests + 1) * 2000, stats.GetProperty("total").GetProperty("samples").GetInt64());
    }
}
