namespace RemoteWrite.DaprSidecar;

/// <summary>
/// The pub/sub broker the stand-ins share. A message stays stored for each consumer group (app id,
/// as Dapr names consumer groups) until that group acknowledges it, so a subscriber that crashes
/// mid-delivery gets it again: the guarantee the Redis streams component gives with its pending
/// list (components-contrib pubsub/redis/redis.go, <c>redeliverInterval</c>/<c>processingTimeout</c>).
/// A group that starts late reads from the beginning of the topic.
/// </summary>
public sealed class InMemoryBroker : IPubSubBroker
{
    private readonly object _gate = new();
    private readonly Dictionary<(string PubSub, string Topic), List<BrokerMessage>> _topics = [];
    private readonly Dictionary<(string PubSub, string Topic, string Group), List<PendingDelivery>> _groups = [];

    public InMemoryBroker(params string[] pubSubNames)
    {
        PubSubNames = new HashSet<string>(pubSubNames, StringComparer.Ordinal);
    }

    /// <summary>The pub/sub components that exist; a publish to another name fails as in daprd.</summary>
    public IReadOnlySet<string> PubSubNames { get; }

    /// <summary>When false, publishing fails (the broker is down).</summary>
    public bool Available { get; set; } = true;

    public long Published { get; private set; }

    public long Acknowledged { get; private set; }

    public long Dropped { get; private set; }

    public long Redelivered { get; private set; }

    public Task PublishAsync(BrokerMessage message, CancellationToken cancellationToken = default)
    {
        Publish(message);
        return Task.CompletedTask;
    }

    public void Publish(BrokerMessage message)
    {
        lock (_gate)
        {
            var key = (message.PubSub, message.Topic);
            if (!_topics.TryGetValue(key, out var log))
            {
                _topics[key] = log = [];
            }

            log.Add(message);
            Published++;
            foreach (var ((pubSub, topic, _), pending) in _groups)
            {
                if (pubSub == message.PubSub && topic == message.Topic)
                {
                    pending.Add(new PendingDelivery(message));
                }
            }
        }
    }

    /// <summary>Creates the consumer group on first use (from the start of the topic).</summary>
    public void Subscribe(string pubSub, string topic, string group)
    {
        lock (_gate)
        {
            if (_groups.ContainsKey((pubSub, topic, group)))
            {
                return;
            }

            var pending = new List<PendingDelivery>();
            if (_topics.TryGetValue((pubSub, topic), out var log))
            {
                pending.AddRange(log.Select(m => new PendingDelivery(m)));
            }

            _groups[(pubSub, topic, group)] = pending;
        }
    }

    /// <summary>Messages of the group that are due and not being delivered, at most <paramref name="max"/>; they are now in flight.</summary>
    public IReadOnlyList<PendingDelivery> Lease(string pubSub, string topic, string group, int max, DateTimeOffset now)
    {
        var leased = new List<PendingDelivery>();
        lock (_gate)
        {
            if (!_groups.TryGetValue((pubSub, topic, group), out var pending))
            {
                return leased;
            }

            foreach (var delivery in pending)
            {
                if (leased.Count == max)
                {
                    break;
                }

                if (!delivery.InFlight && delivery.DueAt <= now)
                {
                    delivery.InFlight = true;
                    leased.Add(delivery);
                }
            }
        }

        return leased;
    }

    /// <summary>Every message published to the topic so far, as stored (the CloudEvent daprd built, and the metadata).</summary>
    public IReadOnlyList<BrokerMessage> Messages(string pubSub, string topic)
    {
        lock (_gate)
        {
            return _topics.TryGetValue((pubSub, topic), out var log) ? [.. log] : [];
        }
    }

    /// <summary>Messages of the group that are due now and not in flight.</summary>
    public int DueCount(string pubSub, string topic, string group, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _groups.TryGetValue((pubSub, topic, group), out var pending) ? pending.Count(d => !d.InFlight && d.DueAt <= now) : 0;
        }
    }

    /// <summary>Messages of the group not yet acknowledged or dropped (in flight included).</summary>
    public int PendingCount(string pubSub, string topic, string group)
    {
        lock (_gate)
        {
            return _groups.TryGetValue((pubSub, topic, group), out var pending) ? pending.Count : 0;
        }
    }

    /// <summary>SUCCESS or DROP: the message is done for this group.</summary>
    public void Complete(string group, PendingDelivery delivery, bool dropped)
    {
        lock (_gate)
        {
            if (_groups.TryGetValue((delivery.Message.PubSub, delivery.Message.Topic, group), out var pending) && pending.Remove(delivery))
            {
                if (dropped)
                {
                    Dropped++;
                }
                else
                {
                    Acknowledged++;
                }
            }
        }
    }

    /// <summary>RETRY: deliver again at <paramref name="dueAt"/>; <paramref name="restartRetries"/> when daprd gave up and the component redelivers.</summary>
    public void Retry(PendingDelivery delivery, DateTimeOffset dueAt, bool restartRetries = false)
    {
        lock (_gate)
        {
            delivery.Attempts = restartRetries ? 0 : delivery.Attempts + 1;
            delivery.DueAt = dueAt;
            delivery.InFlight = false;
            Redelivered++;
        }
    }
}
