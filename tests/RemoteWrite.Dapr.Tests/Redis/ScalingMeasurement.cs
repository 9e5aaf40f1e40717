using System.Diagnostics;
using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests.Redis;

/// <summary>
/// Issue 13's scaling figures, by hand on a Release build (not in CI):
/// <c>dotnet build -c Release RemoteWrite.sln &amp;&amp; RW_SCALING=1 dotnet test tests/RemoteWrite.Dapr.Tests -c Release --no-build --filter FullyQualifiedName~ScalingMeasurement --logger "console;verbosity=detailed"</c>.
/// For 1, 2 and 3 forwarders (one ingress, one Redis, each forwarder with its own sidecar): saturation =
/// the load tool at full speed into the ingress, samples/s = samples Azure stored over the time until
/// the group is drained, forwarder CPU per sample from /proc; then a paced load at half that rate and the
/// lag p50/p99 from the forwarders' <c>remotewrite_forwarder_delivery_lag_seconds</c> histogram (sample
/// timestamp, stamped at send time, to Azure's acceptance), interpolated within buckets as histogram_quantile does.
/// </summary>
public sealed class ScalingMeasurement(ITestOutputHelper output)
{
    private const int Series = 2000;

    [ManualFact("RW_SCALING")]
    public async Task Throughput_cpu_and_lag_by_number_of_forwarders()
    {
        var seconds = int.Parse(Environment.GetEnvironmentVariable("RW_SCALING_SECONDS") ?? "30", CultureInfo.InvariantCulture);
        // RW_SCALING_FORWARDERS (default 1,2,3) and RW_SCALING_FRACTION (of saturation for the lag run, default 0.5).
        var counts = (Environment.GetEnvironmentVariable("RW_SCALING_FORWARDERS") ?? "1,2,3").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture));
        var fraction = double.Parse(Environment.GetEnvironmentVariable("RW_SCALING_FRACTION") ?? "0.5", CultureInfo.InvariantCulture);
        foreach (var forwarders in counts)
        {
            await using var stack = await RedisReplicaStack.StartAsync(ingresses: 1, forwarders);
            var ingress = stack.Ingresses[0];
            var url = new Uri(ingress.App.Address, "/api/v1/write");
            // Warm up (JIT) and settle.
            await LoadTool.RunAsync(url, requests: 50, Series, concurrency: 4, TimeSpan.FromSeconds(60));
            await stack.Broker.DrainAsync(TimeSpan.FromSeconds(120));

            // Saturation: as fast as the ingress acknowledges, for a fixed time; then until drained.
            var azure0 = await stack.AzureSamplesAsync();
            var cpu0 = stack.Forwarders.Select(f => f.App.CpuTime()).ToArray();
            var ingressCpu0 = ingress.App.CpuTime();
            var clock = Stopwatch.StartNew();
            // Rounds of 40 requests until the time is up (the tool's own deadline cancels a request mid-flight).
            long acknowledged = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                acknowledged += (await LoadTool.RunAsync(url, requests: 40, Series, concurrency: 8, TimeSpan.FromSeconds(120))).Acknowledged;
            }

            var ackSeconds = clock.Elapsed.TotalSeconds;
            await stack.Broker.DrainAsync(TimeSpan.FromSeconds(300));
            var drained = clock.Elapsed.TotalSeconds;
            var stored = await stack.AzureSamplesAsync() - azure0;
            var cpu = stack.Forwarders.Select((f, i) => f.App.CpuTime() - cpu0[i]).ToArray();
            var ingressCpu = ingress.App.CpuTime() - ingressCpu0;
            var rate = stored / drained;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{forwarders} forwarder(s): saturation {rate:0} samples/s end to end ({acknowledged} acknowledged in {ackSeconds:0.0} s = {acknowledged / ackSeconds:0}/s at the ingress, drained at {drained:0.0} s); " +
                $"forwarder CPU {cpu.Sum(c => c.TotalSeconds):0.00} s = {cpu.Sum(c => c.TotalNanoseconds) / stored:0} ns per sample (per replica {string.Join(" / ", cpu.Select(c => c.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))} s); ingress {ingressCpu.TotalNanoseconds / Math.Max(1, acknowledged):0} ns per sample"));

            // Half of saturation: paced requests stamped at send time; lag from the forwarders' histogram.
            var before = await LagBucketsAsync(stack);
            var perSecond = rate * fraction / Series; // requests per second
            var interval = TimeSpan.FromSeconds(1 / perSecond);
            // Bodies are built before the run (building one costs milliseconds of CPU the services would
            // miss), each stamped with the time it is due to be sent: lag counts from there.
            var run = Guid.NewGuid().ToString("N");
            var count = (int)(perSecond * seconds);
            var probe = Stopwatch.StartNew();
            _ = RemoteWriteBodies.Batch(run, -1, Series, 1, DateTimeOffset.UtcNow);
            var start = DateTimeOffset.UtcNow + (probe.Elapsed * count * 1.5) + TimeSpan.FromSeconds(2);
            var bodies = Enumerable.Range(0, count).Select(i => RemoteWriteBodies.Batch(run, i, Series, 1, start + (interval * i))).ToArray();
            var late = TimeSpan.Zero;
            var sent = 0;
            var inFlight = new List<Task>();
            foreach (var body in bodies)
            {
                var due = start + (interval * sent++);
                if (due > DateTimeOffset.UtcNow)
                {
                    await Task.Delay(due - DateTimeOffset.UtcNow);
                }
                else
                {
                    late = TimeSpan.FromTicks(Math.Max(late.Ticks, (DateTimeOffset.UtcNow - due).Ticks));
                }

                inFlight.Add(Task.Run(async () =>
                {
                    using var response = await stack.Http.SendAsync(RemoteWriteBodies.Post(url, body));
                    Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                }));
            }

            await Task.WhenAll(inFlight);
            await stack.Broker.DrainAsync(TimeSpan.FromSeconds(120));
            await Task.Delay(1000);
            var after = await LagBucketsAsync(stack);
            var buckets = after.Select(b => (b.Le, Count: b.Count - before.First(x => x.Le == b.Le).Count)).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{forwarders} forwarder(s) at {fraction:0%} of saturation ({perSecond * Series:0} samples/s, {sent} requests, sender at most {late.TotalMilliseconds:0} ms late): lag p50 {Quantile(buckets, 0.5):0.00} s, p99 {Quantile(buckets, 0.99):0.00} s over {buckets[^1].Count} deliveries"));
        }
    }

    // Cumulative bucket counts summed over the forwarders, by upper bound.
    private static async Task<List<(double Le, double Count)>> LagBucketsAsync(RedisReplicaStack stack)
    {
        var sums = new SortedDictionary<double, double>();
        foreach (var forwarder in stack.Forwarders)
        {
            var text = await stack.Http.GetStringAsync(new Uri(forwarder.App.Address, "/metrics"));
            foreach (var line in text.Split('\n').Where(l => l.StartsWith("remotewrite_forwarder_delivery_lag_seconds_bucket{", StringComparison.Ordinal)))
            {
                var le = line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
                le = le[..le.IndexOf('"', StringComparison.Ordinal)];
                var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                var value = double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                sums[bound] = sums.GetValueOrDefault(bound) + value;
            }
        }

        return [.. sums.Select(s => (s.Key, s.Value))];
    }

    // histogram_quantile: linear within the bucket holding the rank.
    private static double Quantile(List<(double Le, double Count)> buckets, double q)
    {
        var total = buckets[^1].Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = q * total;
        double lower = 0, below = 0;
        foreach (var (le, count) in buckets)
        {
            if (count >= rank)
            {
                return double.IsInfinity(le) ? lower : lower + ((le - lower) * (rank - below) / Math.Max(1e-9, count - below));
            }

            lower = le;
            below = count;
        }

        return lower;
    }
}
