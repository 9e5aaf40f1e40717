using System.Diagnostics;
using System.Net;
using RemoteWrite.Dapr.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests;

[Slow]
[Collection(StackCollection.Name)]
public sealed class PrometheusAndLoadTests(StackFixture fixture, ITestOutputHelper output)
{
    private readonly DaprStack _stack = fixture.Stack;

    [RedisAndPrometheusFact]
    public async Task Prometheus_remote_writes_through_the_dapr_services_and_samples_match_at_both_ends()
    {
        await _stack.DrainAsync();
        var received0 = await _stack.MetricAsync(_stack.Ingress, "remotewrite_receiver_samples_total");
        var azure0 = await _stack.AzureStatsAsync();
        using var prometheus = new PrometheusProcess();
        prometheus.Start($"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: dapr-services
                static_configs:
                  - targets: ["127.0.0.1:{_stack.Ingress.Port}", "127.0.0.1:{_stack.Forwarder.Port}", "127.0.0.1:{_stack.TokenService.Port}"]
            remote_write:
              - url: {_stack.IngressWriteUrl}
                queue_config:
                  batch_send_deadline: 1s
            """);
        try
        {
            await Poll.AssertAsync(async () => await _stack.MetricAsync(_stack.Ingress, "remotewrite_receiver_samples_total") - received0 > 2000, TimeSpan.FromSeconds(90), "samples from Prometheus");
        }
        finally
        {
            // Gracefully: a request cut off mid-publish may be counted by the ingress and not stored, or the reverse.
            await prometheus.StopAsync(TimeSpan.FromSeconds(90));
        }

        // Prometheus stopped: whatever the ingress acknowledged must reach Azure, no more and no less
        // (counted once the count stops moving, as /metrics answers may be cached briefly).
        var received = await Poll.SettledAsync(() => _stack.MetricAsync(_stack.Ingress, "remotewrite_receiver_samples_total"), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)) - received0;
        await Poll.AssertAsync(async () => (await _stack.AzureStatsAsync()).Samples - azure0.Samples >= received, TimeSpan.FromSeconds(60), $"{received} samples at Azure");
        await Task.Delay(1000);
        var stored = (await _stack.AzureStatsAsync()).Samples - azure0.Samples;
        output.WriteLine($"Prometheus: ingress received {received} samples, Azure stored {stored}; {_stack.Redelivered} redeliveries");
        Assert.Equal((long)received, stored);
    }

    [RedisFact]
    public async Task Ingress_acknowledges_a_bounded_load_of_600000_samples()
    {
        // Every request of a bounded load is acknowledged. The CPU figure is printed for information; the
        // claim about cost comes from the load tool (tests/RemoteWrite.Load) on a Release build.
        const int Requests = 300, Series = 500, Samples = 4; // 2000 samples per request, as Prometheus sends by default
        var bodies = Enumerable.Range(0, 16).Select(i => RemoteWriteBodies.Batch("load", i, Series, Samples)).ToArray();
        // Warm up first, so JIT compilation is not counted as the request path's cost.
        for (var i = 0; i < 100; i++)
        {
            using var warm = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, bodies[i % bodies.Length]));
            Assert.Equal(HttpStatusCode.NoContent, warm.StatusCode);
        }

        var cpu0 = _stack.Ingress.CpuTime();
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, bodies[i % bodies.Length]));
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }
            finally
            {
                gate.Release();
            }
        }));
        clock.Stop();
        var cpu = _stack.Ingress.CpuTime() - cpu0;
        const long Total = (long)Requests * Series * Samples;
        var perSample = cpu.TotalMilliseconds * 1_000_000 / Total; // ns
        output.WriteLine($"ingress: {Total} samples in {Requests} requests, {clock.Elapsed.TotalSeconds:0.0} s wall, {cpu.TotalMilliseconds:0} ms CPU → {perSample:0} ns CPU per sample ({Total / clock.Elapsed.TotalSeconds:0} samples/s)");
        Assert.True(cpu > TimeSpan.Zero);
    }
}
