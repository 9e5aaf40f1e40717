using System.Globalization;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>
/// The pub/sub the Dapr stacks run on (issue 13: the stand-in's pub/sub on a real Redis): a
/// <c>redis-server</c> the test starts on a free loopback port with components/redis.conf (append-only),
/// and components/pubsub.yaml with its <c>redisHost</c> pointed there. Each stand-in daprd given
/// <see cref="Settings"/> loads its own component instance on it, as each daprd does. The test looks as an
/// operator's redis-cli would (XINFO GROUPS, XLEN, XRANGE) through <see cref="Observer"/>, an instance that
/// never subscribes.
/// </summary>
public sealed class RedisPubSub : IAsyncDisposable
{
    private RedisPubSub(RedisServerProcess server, RedisPubSubSettings settings)
    {
        Server = server;
        Settings = settings with { Host = server.Address };
        Observer = new RedisStreamsBroker(Settings.Name, Settings, "observer");
    }

    public RedisServerProcess Server { get; }

    /// <summary>The component settings every sidecar loads: the given ones, on this Redis.</summary>
    public RedisPubSubSettings Settings { get; }

    /// <summary>A component instance that only looks (and publishes where a test plays the ingress' daprd).</summary>
    public RedisStreamsBroker Observer { get; }

    /// <param name="settings">The component as parsed from components/pubsub.yaml, possibly changed by the stack; its host is replaced.</param>
    public static RedisPubSub Start(RedisPubSubSettings settings)
    {
        var server = RedisServerProcess.StartNew();
        try
        {
            return new RedisPubSub(server, settings);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The forwarders' consumer group: pending (delivered, not acknowledged) and lag (not delivered yet).</summary>
    public (long Pending, long Lag) Backlog()
    {
        // The topic and the retry topic the forwarder dead-letters into and also reads.
        var (pending, lag) = Observer.Backlog(DaprNames.Topic, DaprNames.ForwarderAppId);
        var (retryPending, retryLag) = Observer.Backlog(DaprNames.RetryTopic, DaprNames.ForwarderAppId);
        return (pending + retryPending, lag + retryLag);
    }

    /// <summary>As <see cref="Backlog"/>, or null while Redis cannot be reached (restarting).</summary>
    public (long Pending, long Lag)? TryBacklog()
    {
        try
        {
            return Backlog();
        }
        catch (StackExchange.Redis.RedisException)
        {
            return null;
        }
    }

    /// <summary>Until the forwarders' group has nothing pending and nothing unread.</summary>
    public Task DrainAsync(TimeSpan timeout) => Poll.AssertAsync(
        () => Task.FromResult(TryBacklog() is (0, 0)),
        timeout,
        "the forwarders to acknowledge every message");

    public long StreamLength() => long.Parse(Server.Command($"XLEN {DaprNames.Topic}")[1..].Trim(), CultureInfo.InvariantCulture);

    /// <summary>
    /// Redis refuses every publish until disposed: <c>maxmemory</c> below what it uses, with components/redis.conf's
    /// <c>noeviction</c>, fails <c>XADD</c> with OOM (what a full Redis does), while reads and <c>XACK</c> go on.
    /// The component returns the error (pubsub/redis/redis.go <c>Publish</c>) and daprd fails the publish.
    /// </summary>
    public IDisposable RefusePublishes()
    {
        var limit = Server.InfoLong("maxmemory");
        Assert.StartsWith("+OK", Server.Command("CONFIG SET maxmemory 1"), StringComparison.Ordinal);
        return new Restore(() => Assert.StartsWith("+OK", Server.Command($"CONFIG SET maxmemory {limit}"), StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await Observer.DisposeAsync();
        Server.Dispose();
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
