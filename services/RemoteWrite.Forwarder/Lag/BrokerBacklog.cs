using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RemoteWrite.Forwarder.Lag;

/// <summary>
/// The broker backlog the forwarders' consumer group has on Redis (topic plus retry topic), polled every
/// <see cref="LagOptions.PollInterval"/> when <see cref="LagOptions.RedisAddress"/> is set:
/// <c>XINFO GROUPS</c> pending (delivered, not acknowledged: XPENDING's count) and lag (not yet
/// delivered to the group, Redis ≥ 7.0), and <c>XLEN</c> (acknowledged entries stay until
/// <c>MAXLEN ~</c> trims them, so this is what the stream costs in memory). Exported as gauges; the
/// KEDA Redis streams scaler reads the same pending count.
/// </summary>
public sealed class BrokerBacklog : BackgroundService
{
    private readonly LagOptions _options;
    private readonly ILogger<BrokerBacklog> _logger;
    private long _pending = -1, _unread = -1, _length = -1;

    public BrokerBacklog(IOptions<LagOptions> options, IMeterFactory meterFactory, ILogger<BrokerBacklog> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (Enabled)
        {
            var meter = meterFactory.Create(DeliveryLag.MeterName);
            meter.CreateObservableGauge("remotewrite.forwarder.broker.pending", () => Measure(_pending), "{message}", "Messages delivered to the consumer group and not acknowledged (XPENDING).");
            meter.CreateObservableGauge("remotewrite.forwarder.broker.unread", () => Measure(_unread), "{message}", "Messages in the stream not yet delivered to the consumer group (XINFO GROUPS lag).");
            meter.CreateObservableGauge("remotewrite.forwarder.broker.stream_length", () => Measure(_length), "{message}", "Entries in the stream, acknowledged ones included until trimmed (XLEN).");
        }
    }

    public bool Enabled => !string.IsNullOrEmpty(_options.RedisAddress);

    /// <summary>The last reading; -1 before the first or while Redis cannot be read.</summary>
    public (long Pending, long Unread, long StreamLength) Last => (Interlocked.Read(ref _pending), Interlocked.Read(ref _unread), Interlocked.Read(ref _length));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        var configuration = ConfigurationOptions.Parse(_options.RedisAddress!);
        configuration.Password = _options.RedisPassword;
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        using var timer = new PeriodicTimer(_options.PollInterval);
        do
        {
            try
            {
                var db = redis.GetDatabase();
                long pending = 0, unread = 0, length = 0;
                foreach (var topic in new[] { _options.Topic, _options.RetryTopic }.Where(t => !string.IsNullOrEmpty(t)))
                {
                    if (!await db.KeyExistsAsync(topic))
                    {
                        continue;
                    }

                    var group = (await db.StreamGroupInfoAsync(topic)).FirstOrDefault(g => g.Name == _options.ConsumerGroup);
                    var streamLength = await db.StreamLengthAsync(topic);
                    pending += group.Name is null ? 0 : group.PendingMessageCount;
                    unread += group.Name is null ? streamLength : group.Lag ?? 0;
                    length += streamLength;
                }

                Interlocked.Exchange(ref _pending, pending);
                Interlocked.Exchange(ref _unread, unread);
                Interlocked.Exchange(ref _length, length);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _logger.LogWarning("Reading the broker backlog from {Redis} failed: {Error}", _options.RedisAddress, e.Message);
                Interlocked.Exchange(ref _pending, -1);
                Interlocked.Exchange(ref _unread, -1);
                Interlocked.Exchange(ref _length, -1);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    // No point rather than a wrong one while the value is unknown.
    private static IEnumerable<Measurement<long>> Measure(long value) => value < 0 ? [] : [new Measurement<long>(value)];
}
