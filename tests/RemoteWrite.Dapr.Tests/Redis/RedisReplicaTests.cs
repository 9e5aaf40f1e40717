using System.Globalization;
using System.Net;
using RemoteWrite.Dapr.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests.Redis;

/// <summary>
/// Scale-out on a real Redis (issue 13): two ingresses and three forwarders, each with its own
/// stand-in daprd and Redis streams component, under the load tool and a real Prometheus, and
/// through a dead forwarder, a dead Redis and an Azure outage. Acknowledged = answered 2xx by an
/// ingress; duplicates = samples Azure stored beyond those, which only redelivery may cause.
/// </summary>
[Slow]
[Collection(RedisReplicaCollection.Name)]
public sealed class RedisReplicaTests(RedisReplicaFixture fixture, ITestOutputHelper output)
{
    private const int Series = 2000; // one 2000-sample request = one part = one message
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(120);

    private RedisReplicaStack Stack => fixture.Stack;

    private TimeSpan ProcessingTimeout => Stack.Broker.Settings.ProcessingTimeout;

    private TimeSpan Reclaim => Stack.Broker.Settings.ProcessingTimeout + Stack.Broker.Settings.RedeliverInterval;

    [RedisAndPrometheusFact]
    public async Task Load_tool_and_prometheus_through_two_ingresses_and_three_forwarders_every_acknowledged_sample_arrives_once()
    {
        await Stack.Broker.DrainAsync(Settle + Reclaim);
        var azure0 = await Stack.AzureSamplesAsync();
        var received0 = await ReceivedAsync();
        var success0 = await Task.WhenAll(Stack.Forwarders.Select(f => Stack.MetricAsync(f.App, "remotewrite_forwarder_deliveries_total", "status=\"success\"")));

        using var prometheus = new PrometheusProcess();
        prometheus.Start($"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: replicas
                static_configs:
                  - targets: [{string.Join(", ", Stack.Ingresses.Concat(Stack.Forwarders).Select(r => $"\"127.0.0.1:{r.App.Port}\""))}]
            remote_write:
              - url: {new Uri(Stack.Ingresses[1].App.Address, "/api/v1/write")}
                queue_config:
                  batch_send_deadline: 1s
            """);
        (long Acknowledged, IReadOnlyDictionary<int, int> Statuses)[] loads;
        try
        {
            loads = await Task.WhenAll(Stack.Ingresses.Select(i => LoadTool.RunAsync(WriteUrl(i), requests: 100, Series, concurrency: 4, TimeSpan.FromSeconds(120))));
            // Prometheus' own samples through the second ingress too, before it stops.
            var loadAcknowledged = loads.Sum(l => l.Acknowledged);
            await Poll.AssertAsync(async () => await ReceivedAsync() - received0 > loadAcknowledged, TimeSpan.FromSeconds(60), "Prometheus' samples at the ingress");
        }
        finally
        {
            // Gracefully: a request cut off mid-publish may be stored without the ingress acknowledging it.
            await prometheus.StopAsync(TimeSpan.FromSeconds(90));
        }

        foreach (var load in loads)
        {
            Assert.Equal([204], load.Statuses.Keys);
        }

        // Every sample an ingress took in (load tool + Prometheus), all acknowledged in this fault-free run.
        var received = await Poll.SettledAsync(ReceivedAsync, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)) - received0;
        await Poll.AssertAsync(async () => await Stack.AzureSamplesAsync() - azure0 >= received, Settle, $"{received} samples at Azure");
        await Stack.Broker.DrainAsync(Settle);
        await Task.Delay(1000);
        var stored = await Stack.AzureSamplesAsync() - azure0;
        var shares = (await Task.WhenAll(Stack.Forwarders.Select(f => Stack.MetricAsync(f.App, "remotewrite_forwarder_deliveries_total", "status=\"success\"")))).Select((v, i) => v - success0[i]).ToArray();
        output.WriteLine($"load tool {loads.Sum(l => l.Acknowledged)} + Prometheus {received - loads.Sum(l => l.Acknowledged)} = {received} samples acknowledged by 2 ingresses; Azure stored {stored}; duplicates {stored - received}; deliveries per forwarder {string.Join(" / ", shares)}; reclaimed {Stack.Reclaimed}");
        Assert.Equal(received, stored);
        Assert.All(shares, s => Assert.True(s > 0, "every forwarder took a share of the group"));
    }

    [RedisFact]
    public async Task A_forwarder_killed_under_load_has_its_pending_messages_delivered_by_the_others_after_processing_timeout()
    {
        await Stack.Broker.DrainAsync(Settle + Reclaim);
        var azure0 = await Stack.AzureSamplesAsync();
        var reclaimed0 = Stack.Reclaimed;
        var redelivered0 = Stack.Redelivered;
        // Slow Azure down so every forwarder holds deliveries in flight and read-ahead when one dies.
        await Stack.LocalAzure.SetFaultAsync("""{"latencyMs":2000,"seconds":30,"target":"ingestion"}""");
        var load = Task.WhenAll(Stack.Ingresses.Select(i => LoadTool.RunAsync(WriteUrl(i), requests: 100, Series, concurrency: 2, TimeSpan.FromSeconds(90))));
        // Kill it while it holds messages (read ahead, in flight or between retries).
        var victim = Stack.Forwarders[0];
        var victimBroker = victim.Broker;
        Assert.True(await Poll.UntilAsync(() => victimBroker.Held > 0, TimeSpan.FromSeconds(30)), "the victim holds messages");
        var pendingAtKill = Stack.Broker.Backlog().Pending;
        var heldAtKill = victimBroker.Held;
        var killedAt = DateTime.UtcNow;
        var victimRedelivered = victimBroker.Redelivered;
        var victimReclaimed = victimBroker.Reclaimed;
        await Stack.KillForwarderAsync(victim);
        var loads = await load;
        var acknowledged = loads.Sum(l => l.Acknowledged);

        await Poll.AssertAsync(async () => await Stack.AzureSamplesAsync() - azure0 >= acknowledged, Reclaim + Settle, $"{acknowledged} acknowledged samples at Azure");
        var allArrived = DateTime.UtcNow - killedAt;
        await Stack.Broker.DrainAsync(Reclaim + Settle);
        await Task.Delay(1000);
        var stored = await Stack.AzureSamplesAsync() - azure0;
        // Over the survivors and the victim until its death (the sums were taken over all three).
        var reclaimed = Stack.Reclaimed + victimReclaimed - reclaimed0;
        var redelivered = Stack.Redelivered + victimRedelivered - redelivered0;
        output.WriteLine($"kill -9 of 1 of 3 forwarders (group pending {pendingAtKill}, victim holding {heldAtKill} at the kill): {acknowledged} samples acknowledged, {stored} stored, duplicates {stored - acknowledged}; " +
            $"{reclaimed} messages reclaimed by the survivors, {redelivered} deliveries retried by their sidecars; everything arrived {allArrived.TotalSeconds:0} s after the kill (processingTimeout {ProcessingTimeout.TotalSeconds:0} s, redeliverInterval {Stack.Broker.Settings.RedeliverInterval.TotalSeconds:0} s)");
        Assert.True(stored >= acknowledged, $"{stored} < {acknowledged}: acknowledged samples were lost");
        if (reclaimed > 0)
        {
            // Idle time counts from the victim's last read, shortly before the kill.
            Assert.True(allArrived >= ProcessingTimeout - TimeSpan.FromSeconds(10), $"reclaimed messages arrived {allArrived} after the kill, before processingTimeout");
        }
        else
        {
            // A race the test cannot rule out on two cores: the victim settled what it held before the kill took effect.
            output.WriteLine("nothing was pending for the victim at the kill: no reclaim to see this run");
        }
        // Duplicates only from redelivery: at most the samples of the messages delivered again.
        Assert.InRange(stored - acknowledged, 0, (reclaimed + redelivered) * Series);

        Stack.Forwarders.Add(await Stack.StartForwarderAsync());
        await Stack.Forwarders[^1].App.WaitUntilAsync("/ready", TimeSpan.FromSeconds(120));
    }

    [RedisFact]
    public async Task Redis_killed_under_load_and_restarted_from_its_append_only_file_loses_nothing_the_ingresses_acknowledged()
    {
        await Stack.Broker.DrainAsync(Settle + Reclaim);
        var azure0 = await Stack.AzureSamplesAsync();
        var load = Task.WhenAll(Stack.Ingresses.Select(i => LoadTool.RunAsync(WriteUrl(i), requests: 800, Series, concurrency: 2, TimeSpan.FromSeconds(90))));
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        Assert.False(load.IsCompleted, "the load still runs when Redis dies");
        Stack.Broker.Server.Kill();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Stack.Broker.Server.Start(); // reloads the AOF (components/redis.conf: appendfsync always)
        var loads = await load;
        var acknowledged = loads.Sum(l => l.Acknowledged);
        var refused = loads.Sum(l => l.Statuses.Where(s => s.Key is < 200 or >= 300).Sum(s => s.Value));

        await Poll.AssertAsync(async () => await Stack.AzureSamplesAsync() - azure0 >= acknowledged, Settle, $"{acknowledged} acknowledged samples at Azure");
        // Acknowledgements lost with the dead Redis leave entries pending: redelivered after processingTimeout.
        await Stack.Broker.DrainAsync(Reclaim + Settle);
        await Task.Delay(1000);
        var stored = await Stack.AzureSamplesAsync() - azure0;
        output.WriteLine($"kill -9 of Redis under load, restart from its AOF: {acknowledged} samples acknowledged, {refused} requests refused (503) while it was down, {stored} stored, duplicates {stored - acknowledged}");
        Assert.True(stored >= acknowledged, $"{stored} < {acknowledged}: acknowledged samples were lost");
        Assert.True(refused > 0, "some requests met the dead Redis and were refused, not acknowledged");
        Assert.All(loads, l => Assert.True(l.Statuses.Keys.All(s => s is 204 or 503), $"answers {string.Join(",", l.Statuses)}"));
    }

    [RedisFact]
    public async Task Azure_outage_backlog_stays_under_the_stream_bound_and_everything_is_delivered_after()
    {
        // The issue asks for 5 minutes; CI runs a shorter one (RW_OUTAGE_SECONDS overrides, 300 by hand).
        var gaveUp0 = Stack.GaveUp;
        var outage = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("RW_OUTAGE_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 40);
        await Stack.Broker.DrainAsync(Settle + Reclaim);
        var azure0 = await Stack.AzureSamplesAsync();
        var dropped0 = await DroppedAsync();
        var memory0 = Stack.Broker.Server.InfoLong("used_memory");
        await Stack.LocalAzure.SetFaultAsync($$"""{"status":503,"seconds":{{outage.TotalSeconds}},"target":"ingestion"}""");
        var started = DateTime.UtcNow;

        // Paced load through the outage: one 2000-sample request per ingress every 500 ms.
        long acknowledged = 0, maxPending = 0, maxLag = 0, maxLength = 0, maxMemory = 0;
        double maxAge = 0, maxExportedBacklog = 0;
        var run = Guid.NewGuid().ToString("N");
        var batch = 0;
        var nextSample = DateTime.UtcNow;
        while (DateTime.UtcNow - started < outage)
        {
            foreach (var ingress in Stack.Ingresses)
            {
                using var response = await Stack.Http.SendAsync(RemoteWriteBodies.Post(WriteUrl(ingress), RemoteWriteBodies.Batch(run, batch++, Series, 1)));
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    acknowledged += Series;
                }
            }

            if (DateTime.UtcNow >= nextSample)
            {
                var (pending, lag) = Stack.Broker.Backlog();
                maxPending = Math.Max(maxPending, pending);
                maxLag = Math.Max(maxLag, lag);
                maxLength = Math.Max(maxLength, Stack.Broker.StreamLength());
                maxMemory = Math.Max(maxMemory, Stack.Broker.Server.InfoLong("used_memory"));
                // What the forwarders themselves export (Lag/): the age of what they are sending, and the backlog they see.
                maxAge = Math.Max(maxAge, (await Task.WhenAll(Stack.Forwarders.Select(f => Stack.MetricAsync(f.App, "remotewrite_forwarder_oldest_sample_age_seconds")))).Max());
                maxExportedBacklog = Math.Max(maxExportedBacklog, await Stack.MetricAsync(Stack.Forwarders[0].App, "remotewrite_forwarder_broker_pending") + await Stack.MetricAsync(Stack.Forwarders[0].App, "remotewrite_forwarder_broker_unread"));
                nextSample = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            }

            await Task.Delay(500);
        }

        Assert.True(await Stack.AzureSamplesAsync() - azure0 < acknowledged, "Azure took nothing during the outage");
        // Not an assertion yet: the figures below are wanted whether or not everything arrived.
        var arrived = await Poll.UntilAsync(async () => await Stack.AzureSamplesAsync() - azure0 >= acknowledged, Reclaim + Settle);
        var recovered = DateTime.UtcNow - started - outage;
        if (arrived)
        {
            await Stack.Broker.DrainAsync(Reclaim + Settle);
        }

        var stored = await Stack.AzureSamplesAsync() - azure0;
        var bound = Stack.Broker.Settings.MaxLenApprox;
        output.WriteLine($"{outage.TotalSeconds:0} s Azure outage: {acknowledged} samples acknowledged ({batch} messages), {stored} stored after it, duplicates {stored - acknowledged}, " +
            $"{(arrived ? "all delivered" : "NOT all delivered")} {recovered.TotalSeconds:0} s after it ended; backlog max pending {maxPending} + unread {maxLag} messages, XLEN max {maxLength} (bound maxLenApprox {bound}); " +
            $"Redis used_memory {memory0 / 1048576.0:0.0} MiB before, max {maxMemory / 1048576.0:0.0} MiB ({(maxMemory - memory0) / Math.Max(1.0, batch) / 1024:0} KiB per message); dropped {await DroppedAsync() - dropped0}; messages acknowledged after daprd gave up (lost) {Stack.GaveUp}; " +
            $"forwarders exported oldest_sample_age max {maxAge:0} s, broker pending+unread max {maxExportedBacklog}");
        Assert.True(stored >= acknowledged, $"{stored} < {acknowledged}: acknowledged samples were lost ({Stack.GaveUp - gaveUp0} messages acknowledged after daprd gave up)");
        Assert.True(maxPending + maxLag <= bound, "the backlog stayed under the stream bound");
        Assert.Equal(0, await DroppedAsync() - dropped0); // nothing passed Azure's look-back in this outage
        Assert.True(maxAge >= outage.TotalSeconds / 2, $"the forwarders' oldest_sample_age ({maxAge} s) showed the outage");
        Assert.True(maxExportedBacklog > 0, "the forwarders exported the broker backlog");
        Assert.Contains("msg=\"Forwarder lag\" oldestSampleAgeSec=", Stack.Forwarders[0].App.Output);
    }

    private static Uri WriteUrl(RedisReplicaStack.Replica ingress) => new(ingress.App.Address, "/api/v1/write");

    // What the ingresses are answerable for: samples in messages their sidecars acknowledged (a request
    // Prometheus retries after a 503 is received twice but acknowledged once per message published).
    private async Task<long> ReceivedAsync() =>
        (long)(await Task.WhenAll(Stack.Ingresses.Select(i => Stack.MetricAsync(i.App, "remotewrite_ingress_published_samples_total")))).Sum();

    private async Task<double> DroppedAsync() =>
        (await Task.WhenAll(Stack.Forwarders.Select(f => Stack.MetricAsync(f.App, "remotewrite_forwarder_dropped_total")))).Sum();
}
