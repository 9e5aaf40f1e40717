using System.Collections.Concurrent;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests.StandIn;

/// <summary>
/// The stand-in's Redis streams pub/sub on a real redis-server, against what components-contrib's
/// does (pubsub/redis/redis.go): stored bytes and metadata, MAXLEN ~ trimming, one group shared by
/// replicas, XACK, reclaiming after processingTimeout, and an AOF restart after kill -9.
/// </summary>
[Slow]
public sealed class RedisStreamsBrokerTests(ITestOutputHelper output)
{
    private const string App = DaprNames.ForwarderAppId;
    private const string Topic = DaprNames.Topic;

    [RedisFact]
    public async Task Publish_stores_bytes_and_metadata_as_given_and_maxlen_approx_bounds_the_stream()
    {
        using var redis = RedisServerProcess.StartNew();
        await using var broker = Broker(redis, new() { ["maxLenApprox"] = "100" });
        var first = Message(0);
        await broker.PublishAsync(first);
        var stored = Assert.Single(broker.Messages(DaprNames.PubSub, Topic));
        Assert.Equal(first.Id, stored.Id);
        Assert.Equal(first.Data, stored.Data);
        Assert.Equal(first.Metadata, stored.Metadata);
        Assert.Equal(first.DataBytes, stored.DataBytes);

        for (var i = 1; i < 1000; i++)
        {
            await broker.PublishAsync(Message(i));
        }

        // MAXLEN ~ trims whole radix-tree nodes (stream-node-max-entries, 100): a little over the bound, never unbounded.
        var length = long.Parse(redis.Command($"XLEN {Topic}")[1..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"1000 published with maxLenApprox 100: XLEN {length}");
        Assert.InRange(length, 100, 300);
    }

    [RedisFact]
    public async Task Two_replicas_share_one_group_each_message_goes_to_one_and_xack_empties_the_pending_list()
    {
        using var redis = RedisServerProcess.StartNew();
        await using var a = Broker(redis, new() { ["queueDepth"] = "10" });
        await using var b = Broker(redis, new() { ["queueDepth"] = "10" });
        a.Subscribe(DaprNames.PubSub, Topic, App);
        b.Subscribe(DaprNames.PubSub, Topic, App);
        const int Count = 200;
        for (var i = 0; i < Count; i++)
        {
            await a.PublishAsync(Message(i));
        }

        var seen = new ConcurrentDictionary<string, int>();
        int byA = 0, byB = 0;
        Assert.True(await Poll.UntilAsync(() =>
        {
            byA += Drain(a, seen);
            byB += Drain(b, seen);
            return seen.Count == Count;
        }, TimeSpan.FromSeconds(30)), $"{seen.Count} of {Count} delivered");
        output.WriteLine($"replica a took {byA}, replica b {byB}");
        Assert.All(seen.Values, n => Assert.Equal(1, n));
        Assert.True(byA > 0 && byB > 0, "both replicas took a share");
        Assert.True(await Poll.UntilAsync(() => a.PendingCount(DaprNames.PubSub, Topic, App) == 0, TimeSpan.FromSeconds(10)));
    }

    [RedisFact]
    public async Task A_crashed_replicas_messages_are_claimed_by_another_once_idle_past_processing_timeout()
    {
        using var redis = RedisServerProcess.StartNew();
        var settings = new Dictionary<string, string> { ["processingTimeout"] = "1500", ["redeliverInterval"] = "200" };
        var crashed = Broker(redis, settings);
        crashed.Subscribe(DaprNames.PubSub, Topic, App);
        for (var i = 0; i < 20; i++)
        {
            await crashed.PublishAsync(Message(i));
        }

        Assert.True(await Poll.UntilAsync(() => crashed.DueCount(DaprNames.PubSub, Topic, App, DateTimeOffset.UtcNow) == 20, TimeSpan.FromSeconds(10)));
        var inFlight = crashed.Lease(DaprNames.PubSub, Topic, App, 20, DateTimeOffset.UtcNow);
        Assert.Equal(20, inFlight.Count);
        var readAt = DateTimeOffset.UtcNow;
        await crashed.DisposeAsync(); // dies holding 20 unacknowledged messages

        await using var survivor = Broker(redis, settings);
        survivor.Subscribe(DaprNames.PubSub, Topic, App);
        var seen = new ConcurrentDictionary<string, int>();
        Assert.True(await Poll.UntilAsync(() => Drain(survivor, seen) >= 0 && seen.Count == 20, TimeSpan.FromSeconds(15)));
        var after = DateTimeOffset.UtcNow - readAt;
        output.WriteLine($"20 pending messages reclaimed {after.TotalMilliseconds:0} ms after the crash (processingTimeout 1500 ms, redeliverInterval 200 ms)");
        Assert.True(after >= TimeSpan.FromMilliseconds(1400), $"reclaimed after {after}, before processingTimeout");
        Assert.Equal(20, survivor.Reclaimed);
        Assert.Equal(inFlight.Select(d => d.Message.Id).Order(), seen.Keys.Order());
    }

    [RedisFact]
    public Task Redis_killed_and_restarted_from_its_aof_keeps_every_acknowledged_publish_with_appendfsync_always() =>
        KillRedisUnderPublishing();

    [RedisFact]
    public Task Redis_killed_and_restarted_from_its_aof_keeps_every_acknowledged_publish_with_appendfsync_everysec() =>
        KillRedisUnderPublishing("--appendfsync", "everysec");

    private async Task KillRedisUnderPublishing(params string[] redisArguments)
    {
        using var redis = RedisServerProcess.StartNew(redisArguments);
        await using var broker = Broker(redis, []);
        broker.Subscribe(DaprNames.PubSub, Topic, App);
        var acknowledged = new ConcurrentBag<string>();
        var refused = 0;
        using var stop = new CancellationTokenSource();
        var publishers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var message = Message(w * 1_000_000 + i);
                try
                {
                    await broker.PublishAsync(message);
                    acknowledged.Add(message.Id);
                }
                catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(20);
                }
            }
        })).ToArray();

        await Task.Delay(1500);
        redis.Kill();
        var beforeKill = acknowledged.Count;
        await Task.Delay(500);
        redis.Start();
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(publishers);

        var stored = broker.Messages(DaprNames.PubSub, Topic).Select(m => m.Id).ToHashSet();
        var lost = acknowledged.Where(id => !stored.Contains(id)).ToList();
        output.WriteLine($"{(redisArguments.Length == 0 ? "components/redis.conf (appendfsync always)" : string.Join(' ', redisArguments))}: {acknowledged.Count} publishes acknowledged ({beforeKill} before the kill), {refused} refused while down, {stored.Count} stored after the AOF reload, {lost.Count} lost");
        Assert.Empty(lost);
        Assert.True(beforeKill > 0 && acknowledged.Count > beforeKill, "publishes acknowledged before the kill and after the restart");
        Assert.Contains("remotewrite-forwarder", redis.Command($"XINFO GROUPS {Topic}"));
    }

    private static int Drain(RedisStreamsBroker broker, ConcurrentDictionary<string, int> seen)
    {
        var leased = broker.Lease(DaprNames.PubSub, Topic, App, 100, DateTimeOffset.UtcNow);
        foreach (var delivery in leased)
        {
            seen.AddOrUpdate(delivery.Message.Id, 1, (_, n) => n + 1);
            broker.Complete(App, delivery, dropped: false);
        }

        return leased.Count;
    }

    private static RedisStreamsBroker Broker(RedisServerProcess redis, Dictionary<string, string> metadata) =>
        new(DaprNames.PubSub, RedisPubSubSettings.Parse(metadata) with { Host = redis.Address }, App);

    private static BrokerMessage Message(int i)
    {
        var data = new byte[200 + (i % 50)];
        Random.Shared.NextBytes(data);
        return new BrokerMessage(Guid.NewGuid().ToString(), DaprNames.PubSub, Topic, data,
            new Dictionary<string, string> { [HandOff.SamplesKey] = i.ToString(System.Globalization.CultureInfo.InvariantCulture), [HandOff.MinTimestampKey] = "1700000000000" }, data.Length);
    }
}
