using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// The Redis streams pub/sub of one daprd, doing what components-contrib's does
/// (pubsub/redis/redis.go; settings common/component/redis/settings.go):
/// <list type="bullet">
/// <item>publish = <c>XADD topic MAXLEN ~ maxLenApprox</c> (or <c>MINID ~</c> for <c>streamTTL</c>) (<c>Publish</c>, v9client.go <c>XAdd</c>);</item>
/// <item>one consumer group per consumer id (daprd's default: the app id), created from <c>0</c> with MKSTREAM (<c>CreateConsumerGroup</c>),
///   and recreated on NOGROUP (<c>pollNewMessagesLoop</c>);</item>
/// <item><c>XREADGROUP GROUP id id COUNT queueDepth STREAMS topic &gt;</c> feeding a queue of <c>queueDepth</c> (<c>pollNewMessagesLoop</c>,
///   <c>enqueueMessages</c>): the consumer name is the consumer id too, so every replica of an app shares it;</item>
/// <item>the stand-in's deliverer is the <c>concurrency</c> workers (<c>worker</c>, <c>processMessage</c>): <c>XACK</c> on success or drop;</item>
/// <item>every <c>redeliverInterval</c> (and once at start) <c>XPENDING - + queueDepth</c>, then <c>XCLAIM</c> of those idle
///   ≥ <c>processingTimeout</c> into the queue; entries trimmed away meanwhile are acknowledged (<c>reclaimPendingMessages</c>,
///   <c>removeMessagesThatNoLongerExistFromPending</c>); either setting 0 turns reclaiming off (<c>reclaimPendingMessagesLoop</c>).</item>
/// </list>
/// daprd's retries of one message (resiliency) run while it stays pending; the component's handler
/// context ends at <c>processingTimeout</c> (<c>processMessage</c>), and a message whose handler was
/// cut off is not acknowledged, so it is left for the reclaim. But when daprd gives up first (its
/// retries spent before <c>processingTimeout</c>) the handler returns an error with its context alive,
/// and since components-contrib 1.17.0 that message is acknowledged, i.e. gone (#4208, "Make Redis
/// Streams PubSub honor resiliency policy"; redis_test.go <c>TestProcessMessageAcksOnError</c>): the
/// stand-in does the same and counts it in <see cref="AcknowledgedAfterGivingUp"/>.
/// StackExchange.Redis multiplexes one connection and has no blocking reads: the poll sleeps briefly
/// when the stream is empty instead of <c>BLOCK</c>.
/// </summary>
public sealed class RedisStreamsBroker : IPubSubBroker, IAsyncDisposable
{
    private const int RangePage = 32;
    private static readonly TimeSpan EmptyPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(250);

    private readonly RedisPubSubSettings _settings;
    private readonly string _consumer;
    private readonly ILogger _logger;
    private readonly ConnectionMultiplexer _redis;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly Dictionary<(string Topic, string Group), State> _subscriptions = [];
    private readonly List<Task> _loops = [];
    private readonly HashSet<Task> _acks = [];
    private long _published, _acknowledged, _dropped, _redelivered, _reclaimed, _ackFailures, _gaveUp;

    public RedisStreamsBroker(string pubSubName, RedisPubSubSettings settings, string appId, ILogger? logger = null)
    {
        PubSubNames = new HashSet<string>([pubSubName], StringComparer.Ordinal);
        _settings = settings;
        _consumer = settings.ConsumerId ?? appId;
        _logger = logger ?? NullLogger.Instance;
        var options = ConfigurationOptions.Parse(settings.Host);
        options.Password = settings.Password;
        // Keep reconnecting after a Redis restart, and fail a command at once while disconnected
        // (a publish must fail fast so the ingress answers 503, not hang).
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 2000;
        options.ReconnectRetryPolicy = new LinearRetry(250);
        _redis = ConnectionMultiplexer.Connect(options);
    }

    public IReadOnlySet<string> PubSubNames { get; }

    public RedisPubSubSettings Settings => _settings;

    /// <summary>The consumer group and consumer name (<c>consumerID</c>, else the app id).</summary>
    public string ConsumerId => _consumer;

    /// <summary>When false, the stand-in refuses publishes (checked by <see cref="DaprGrpcService"/>).</summary>
    public bool Available { get; set; } = true;

    public long Published => Interlocked.Read(ref _published);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Deliveries to the app that were answered RETRY or failed (daprd's retries).</summary>
    public long Redelivered => Interlocked.Read(ref _redelivered);

    /// <summary>Messages this subscriber took over with XCLAIM (idle past <c>processingTimeout</c>).</summary>
    public long Reclaimed => Interlocked.Read(ref _reclaimed);

    /// <summary>
    /// Messages daprd gave up on before <c>processingTimeout</c>, which the component then acknowledged:
    /// lost (no dead-letter topic here). Non-zero means resiliency.yaml's delivery retries end before processingTimeout.
    /// </summary>
    public long AcknowledgedAfterGivingUp => Interlocked.Read(ref _gaveUp);

    /// <summary>Messages this daprd holds: read or claimed, not yet acknowledged (queued, in flight or between retries).</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions.Values.Sum(s => s.Held.Count);
            }
        }
    }

    /// <summary>XACKs that failed (the message stays pending and is delivered again).</summary>
    public long AckFailures => Interlocked.Read(ref _ackFailures);

    private IDatabase Db => _redis.GetDatabase();

    public async Task PublishAsync(BrokerMessage message, CancellationToken cancellationToken = default)
    {
        await Db.StreamAddAsync(message.Topic, RedisStreamEntry.From(message), AddOptions());
        Interlocked.Increment(ref _published);
    }

    /// <summary>
    /// Each message as <see cref="PublishAsync"/> stores it, all in one <c>MULTI</c>/<c>EXEC</c>: subscribers
    /// find them together, as a backlog (for tests; daprd publishes one message at a time).
    /// </summary>
    public async Task PublishAtOnceAsync(IReadOnlyList<BrokerMessage> messages)
    {
        var transaction = Db.CreateTransaction();
        var adds = messages.Select(m => transaction.StreamAddAsync(m.Topic, RedisStreamEntry.From(m), AddOptions())).ToArray();
        if (!await transaction.ExecuteAsync())
        {
            throw new RedisException("MULTI/EXEC was discarded");
        }

        await Task.WhenAll(adds);
        Interlocked.Add(ref _published, messages.Count);
    }

    // redis.go Publish: maxLenApprox and streamTTL are exclusive; go-redis sends MAXLEN when set, else MINID.
    private StreamAddOptions AddOptions() =>
        _settings.MaxLenApprox > 0 ? new StreamAddOptions { Approximate = true, MaxLength = _settings.MaxLenApprox }
        : _settings.StreamTtl > TimeSpan.Zero ? new StreamAddOptions { Approximate = true, MinId = $"{(DateTimeOffset.UtcNow - _settings.StreamTtl).ToUnixTimeMilliseconds()}-1" }
        : new StreamAddOptions();

    public void Subscribe(string pubSub, string topic, string group)
    {
        lock (_gate)
        {
            var key = (topic, _settings.ConsumerId ?? group);
            if (_subscriptions.ContainsKey(key))
            {
                return;
            }

            var state = new State(pubSub, topic, key.Item2);
            _subscriptions[key] = state;
            _loops.Add(Task.Run(() => PollNewMessagesLoopAsync(state)));
            _loops.Add(Task.Run(() => ReclaimPendingMessagesLoopAsync(state)));
        }
    }

    public IReadOnlyList<PendingDelivery> Lease(string pubSub, string topic, string group, int max, DateTimeOffset now)
    {
        var leased = new List<PendingDelivery>();
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue((topic, _settings.ConsumerId ?? group), out var state))
            {
                return leased;
            }

            // Retries that are due first (daprd is still holding them), then the queue in stream order.
            foreach (var delivery in state.Retrying)
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

            while (leased.Count < max && state.Queue.TryDequeue(out var next))
            {
                next.InFlight = true;
                state.Retrying.Add(next);
                leased.Add(next);
            }
        }

        return leased;
    }

    public int DueCount(string pubSub, string topic, string group, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _subscriptions.TryGetValue((topic, _settings.ConsumerId ?? group), out var state)
                ? state.Queue.Count + state.Retrying.Count(d => !d.InFlight && d.DueAt <= now)
                : 0;
        }
    }

    /// <summary><c>XINFO GROUPS</c>: the group's pending entries plus its lag (entries not read yet).</summary>
    public int PendingCount(string pubSub, string topic, string group)
    {
        var (pending, lag) = Backlog(topic, _settings.ConsumerId ?? group);
        return (int)(pending + lag);
    }

    /// <summary>The group's pending entries (delivered, not acknowledged) and lag (not delivered yet) from <c>XINFO GROUPS</c>.</summary>
    public (long Pending, long Lag) Backlog(string topic, string group)
    {
        if (!Db.KeyExists(topic))
        {
            return (0, 0);
        }

        var info = Db.StreamGroupInfo(topic).FirstOrDefault(g => g.Name == group);
        return info.Name is null ? (0, Db.StreamLength(topic)) : (info.PendingMessageCount, info.Lag ?? 0);
    }

    /// <summary><c>XRANGE</c>: every entry the stream still holds (acknowledged or not, until trimmed).</summary>
    public IReadOnlyList<BrokerMessage> Messages(string pubSub, string topic) => MessagesAfter(pubSub, topic, null);

    /// <summary>
    /// The entries after <paramref name="entryId"/> (from <see cref="LastEntryId"/>; null: from the start),
    /// read 32 at a time: one reply of a backlog of ~1 MB entries could outlast the command timeout.
    /// </summary>
    public IReadOnlyList<BrokerMessage> MessagesAfter(string pubSub, string topic, string? entryId)
    {
        var messages = new List<BrokerMessage>();
        RedisValue from = entryId is null ? "-" : "(" + entryId;
        while (true)
        {
            var page = Db.StreamRange(topic, from, "+", RangePage);
            messages.AddRange(page.Where(e => !e.IsNull).Select(e => RedisStreamEntry.To(pubSub, topic, e)));
            if (page.Length < RangePage)
            {
                return messages;
            }

            from = "(" + page[^1].Id;
        }
    }

    /// <summary>The newest entry's id (<c>XREVRANGE + - COUNT 1</c>), "0-0" for an empty stream: where <see cref="MessagesAfter"/> starts.</summary>
    public string LastEntryId(string topic) =>
        Db.StreamRange(topic, count: 1, messageOrder: Order.Descending) is [var last] ? last.Id.ToString() : "0-0";

    public void Complete(string group, PendingDelivery delivery, bool dropped)
    {
        State? state;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue((delivery.Message.Topic, _settings.ConsumerId ?? group), out state) || !state.Held.Remove(delivery.EntryId!))
            {
                return;
            }

            state.Retrying.Remove(delivery);
        }

        Interlocked.Increment(ref dropped ? ref _dropped : ref _acknowledged);
        // processMessage: XACK after the handler returned (DROP returns nil to the component too).
        Track(AckAsync(state, delivery.EntryId!));
    }

    // Acknowledgements run in the background (the deliverer does not wait); disposal waits for them briefly.
    private void Track(Task ack)
    {
        lock (_acks)
        {
            _acks.Add(ack);
        }

        ack.ContinueWith(t => { lock (_acks) { _acks.Remove(t); } }, TaskScheduler.Default);
    }

    public void Retry(PendingDelivery delivery, DateTimeOffset dueAt, bool restartRetries = false)
    {
        Interlocked.Increment(ref _redelivered);
        lock (_gate)
        {
            // Retry names no group: the subscription is the one holding this delivery.
            var state = _subscriptions.Values.FirstOrDefault(s => s.Held.TryGetValue(delivery.EntryId!, out var held) && ReferenceEquals(held, delivery));
            if (state is null)
            {
                return;
            }

            var reclaiming = _settings.ProcessingTimeout > TimeSpan.Zero && _settings.RedeliverInterval > TimeSpan.Zero;
            if (reclaiming && DateTimeOffset.UtcNow - delivery.ReadAt >= _settings.ProcessingTimeout)
            {
                // The handler's context ended (processingTimeout): not acknowledged, so the entry stays
                // pending and the reclaim hands it out again, here or in another replica.
                state.Held.Remove(delivery.EntryId!);
                state.Retrying.Remove(delivery);
                return;
            }

            if (restartRetries)
            {
                // daprd gave up with the handler's context alive: processMessage acknowledges (since 1.17.0).
                state.Held.Remove(delivery.EntryId!);
                state.Retrying.Remove(delivery);
                Interlocked.Increment(ref _gaveUp);
                _logger.LogWarning("daprd gave up on {Id} before processingTimeout: acknowledged, the message is lost", delivery.EntryId);
                Track(AckAsync(state, delivery.EntryId!));
                return;
            }

            delivery.Attempts++;
            delivery.DueAt = dueAt;
            delivery.InFlight = false;
        }
    }

    private async Task AckAsync(State state, string entryId)
    {
        try
        {
            await Db.StreamAcknowledgeAsync(state.Topic, state.Group, entryId);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // processMessage logs and returns: the entry stays pending and is delivered again later.
            Interlocked.Increment(ref _ackFailures);
            _logger.LogWarning("XACK {Id} failed: {Error}", entryId, e.Message);
        }
    }

    private async Task PollNewMessagesLoopAsync(State state)
    {
        var token = _stop.Token;
        var groupReady = false;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (!groupReady)
                {
                    await CreateConsumerGroupAsync(state);
                    groupReady = true;
                }

                // The component's queue holds queueDepth messages; XREADGROUP waits while it is full.
                if (QueuedCount(state) >= _settings.QueueDepth)
                {
                    await Task.Delay(EmptyPoll / 4, token);
                    continue;
                }

                var entries = await Db.StreamReadGroupAsync(state.Topic, state.Group, _consumer, StreamPosition.NewMessages, _settings.QueueDepth);
                if (entries.Length == 0)
                {
                    await Task.Delay(EmptyPoll, token);
                    continue;
                }

                Enqueue(state, entries, reclaimed: false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (RedisServerException e) when (e.Message.Contains("NOGROUP", StringComparison.Ordinal))
            {
                // pollNewMessagesLoop: the group is gone (Redis lost its data): recreate it.
                _logger.LogWarning("consumer group {Group} does not exist for stream {Topic}; recreating it", state.Group, state.Topic);
                groupReady = false;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _logger.LogDebug("error reading from stream {Topic}: {Error}", state.Topic, e.Message);
                await PauseAsync(token);
            }
        }
    }

    private async Task ReclaimPendingMessagesLoopAsync(State state)
    {
        if (_settings.ProcessingTimeout == TimeSpan.Zero || _settings.RedeliverInterval == TimeSpan.Zero)
        {
            return;
        }

        var token = _stop.Token;
        using var ticker = new PeriodicTimer(_settings.RedeliverInterval);
        do
        {
            try
            {
                await ReclaimPendingMessagesAsync(state);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _logger.LogDebug("error reclaiming pending messages of {Topic}: {Error}", state.Topic, e.Message);
            }
        }
        while (await Tick(ticker, token));
    }

    private async Task ReclaimPendingMessagesAsync(State state)
    {
        var minIdle = (long)_settings.ProcessingTimeout.TotalMilliseconds;
        while (!_stop.IsCancellationRequested)
        {
            var pending = await Db.StreamPendingMessagesAsync(state.Topic, state.Group, _settings.QueueDepth, RedisValue.Null, "-", "+");
            var ids = pending.Where(p => p.IdleTimeInMilliseconds >= minIdle).Select(p => p.MessageId).ToArray();
            if (ids.Length == 0)
            {
                return;
            }

            var claimed = await Db.StreamClaimAsync(state.Topic, state.Group, _consumer, minIdle, ids);
            Enqueue(state, claimed, reclaimed: true);

            // Entries trimmed away (MAXLEN) while pending cannot be claimed: claim each alone with no
            // idle time, and acknowledge those that still do not come back.
            var missing = ids.Except(claimed.Where(c => !c.IsNull).Select(c => c.Id)).ToArray();
            foreach (var id in missing)
            {
                var single = await Db.StreamClaimAsync(state.Topic, state.Group, _consumer, 0, [id]);
                if (single.All(e => e.IsNull))
                {
                    await Db.StreamAcknowledgeAsync(state.Topic, state.Group, id);
                }
                else
                {
                    Enqueue(state, single, reclaimed: true);
                }
            }

            if (claimed.Length == 0 && missing.Length == 0)
            {
                return;
            }
        }
    }

    private async Task CreateConsumerGroupAsync(State state)
    {
        try
        {
            // XGROUP CREATE topic group 0 MKSTREAM: a new group reads the stream from its start.
            await Db.StreamCreateConsumerGroupAsync(state.Topic, state.Group, "0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists already (another replica, or before a restart).
        }
    }

    private void Enqueue(State state, StreamEntry[] entries, bool reclaimed)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                if (entry.IsNull)
                {
                    continue;
                }

                var id = entry.Id.ToString();
                if (state.Held.TryGetValue(id, out var held))
                {
                    // Claimed back while this daprd still holds it (same consumer name): its idle time restarted.
                    held.ReadAt = now;
                    continue;
                }

                var delivery = new PendingDelivery(RedisStreamEntry.To(state.PubSub, state.Topic, entry)) { EntryId = id, ReadAt = now };
                state.Held[id] = delivery;
                state.Queue.Enqueue(delivery);
                if (reclaimed)
                {
                    Interlocked.Increment(ref _reclaimed);
                }
            }
        }
    }

    private int QueuedCount(State state)
    {
        lock (_gate)
        {
            return state.Queue.Count;
        }
    }

    private static async Task PauseAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(ErrorPause, token);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static async Task<bool> Tick(PeriodicTimer ticker, CancellationToken token)
    {
        try
        {
            return await ticker.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Stops reading; acknowledgements already sent are awaited briefly, nothing else is acknowledged.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] acks;
        lock (_acks)
        {
            acks = [.. _acks];
        }

        await Task.WhenAll(_loops.Concat(acks)).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _redis.CloseAsync();
        await _redis.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>One subscription's queue (the component's channel) and what this daprd holds: read or claimed, not yet acknowledged.</summary>
    private sealed class State(string pubSub, string topic, string group)
    {
        public string PubSub { get; } = pubSub;

        public string Topic { get; } = topic;

        public string Group { get; } = group;

        public Queue<PendingDelivery> Queue { get; } = new();

        /// <summary>Handed to the deliverer: in flight or waiting for daprd's next retry.</summary>
        public List<PendingDelivery> Retrying { get; } = [];

        public Dictionary<string, PendingDelivery> Held { get; } = new(StringComparer.Ordinal);
    }
}
