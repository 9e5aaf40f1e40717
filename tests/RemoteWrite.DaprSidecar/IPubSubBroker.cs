namespace RemoteWrite.DaprSidecar;

/// <summary>
/// The pub/sub component behind a stand-in daprd: what daprd asks of a component (publish,
/// subscribe, a message handed out, acknowledged or left for redelivery). <see cref="InMemoryBroker"/>
/// for unit tests; <see cref="RedisStreamsBroker"/> for what components-contrib's Redis streams
/// pub/sub does on a real Redis (pubsub/redis/redis.go).
/// </summary>
public interface IPubSubBroker
{
    /// <summary>The pub/sub components that exist; a publish to another name fails as in daprd.</summary>
    IReadOnlySet<string> PubSubNames { get; }

    /// <summary>When false, publishing fails (the broker is down), as a test decides.</summary>
    bool Available { get; set; }

    long Published { get; }

    long Acknowledged { get; }

    long Dropped { get; }

    long Redelivered { get; }

    /// <summary>Stores the message; the returned task completes once the broker has it (daprd answers the publisher then).</summary>
    Task PublishAsync(BrokerMessage message, CancellationToken cancellationToken = default);

    /// <summary>Creates the consumer group on first use (from the start of the topic).</summary>
    void Subscribe(string pubSub, string topic, string group);

    /// <summary>Messages of the group that are due and not being delivered, at most <paramref name="max"/>; they are now in flight.</summary>
    IReadOnlyList<PendingDelivery> Lease(string pubSub, string topic, string group, int max, DateTimeOffset now);

    /// <summary>Messages this subscriber could lease now.</summary>
    int DueCount(string pubSub, string topic, string group, DateTimeOffset now);

    /// <summary>Messages of the group not yet acknowledged or dropped (in flight and not yet read included).</summary>
    int PendingCount(string pubSub, string topic, string group);

    /// <summary>Every message of the topic the broker still holds, as stored.</summary>
    IReadOnlyList<BrokerMessage> Messages(string pubSub, string topic);

    /// <summary>SUCCESS or DROP: the message is done for this group.</summary>
    void Complete(string group, PendingDelivery delivery, bool dropped);

    /// <summary>RETRY: deliver again at <paramref name="dueAt"/>; <paramref name="restartRetries"/> when daprd gave up and the component redelivers.</summary>
    void Retry(PendingDelivery delivery, DateTimeOffset dueAt, bool restartRetries = false);
}
