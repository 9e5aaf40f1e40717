using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace RemoteWrite.Forwarder.Lag;

/// <summary>
/// How far behind the forwarder is, from the oldest-timestamp metadata the ingress attaches to each
/// message (<see cref="RemoteWrite.Dapr.HandOff.MinTimestampKey"/>): the age of the oldest
/// sample it is sending now (a gauge: what KEDA and the alert rules read) and, per delivery Azure
/// accepted, the age of its oldest sample then (a histogram: timestamp to Azure, p50/p99). "Sending"
/// includes deliveries answered RETRY in the last 30 s, which daprd hands back within its retry
/// interval: through an Azure outage the gauge grows with the outage instead of showing a quick 503.
/// </summary>
public sealed class DeliveryLag
{
    public const string MeterName = "RemoteWrite.Forwarder.Lag";

    // daprd redelivers a RETRY within its retry interval (resiliency.yaml deliveryRetry maxInterval, 10 s):
    // data attempted within this window and not yet sent is still "being sent".
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<InFlightDelivery, byte> _inFlight = new();
    private readonly ConcurrentQueue<(long AttemptMs, long OldestMs)> _attempts = new();
    private readonly Histogram<double> _lag;

    public DeliveryLag(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("remotewrite.forwarder.oldest_sample_age", () => OldestSampleAge().TotalSeconds, "s",
            "Age of the oldest sample among the deliveries in flight or attempted in the last 30 s (0 when idle).");
        _lag = meter.CreateHistogram<double>("remotewrite.forwarder.delivery.lag", "s",
            "Age of a delivery's oldest sample when Azure accepted it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 120, 300, 600, 1200, 3600] });
    }

    /// <summary>A delivery request arrived; its oldest timestamp is filled in as its body is read.</summary>
    public InFlightDelivery Begin()
    {
        var delivery = new InFlightDelivery();
        _inFlight.TryAdd(delivery, 0);
        return delivery;
    }

    /// <summary>The delivery was answered; <paramref name="accepted"/> when every entry was SUCCESS.</summary>
    public void End(InFlightDelivery delivery, bool accepted)
    {
        _inFlight.TryRemove(delivery, out _);
        var oldest = delivery.OldestTimestampMs;
        if (oldest == long.MaxValue)
        {
            return;
        }

        // An answered RETRY comes back from daprd: until then its data counts as being sent.
        _attempts.Enqueue((_time.GetUtcNow().ToUnixTimeMilliseconds(), oldest));
        if (!accepted)
        {
            return;
        }

        _lag.Record(Math.Max(0, _time.GetUtcNow().ToUnixTimeMilliseconds() - oldest) / 1000.0);
    }

    public TimeSpan OldestSampleAge()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        while (_attempts.TryPeek(out var first) && now - first.AttemptMs > Window.TotalMilliseconds)
        {
            _attempts.TryDequeue(out _);
        }

        var oldest = long.MaxValue;
        foreach (var delivery in _inFlight.Keys)
        {
            oldest = Math.Min(oldest, delivery.OldestTimestampMs);
        }

        foreach (var attempt in _attempts)
        {
            oldest = Math.Min(oldest, attempt.OldestMs);
        }

        return oldest == long.MaxValue ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, now - oldest));
    }
}

/// <summary>One delivery request in progress: the oldest timestamp seen in its metadata so far.</summary>
public sealed class InFlightDelivery
{
    private long _oldest = long.MaxValue;

    public long OldestTimestampMs => Interlocked.Read(ref _oldest);

    public void Saw(long timestampMs)
    {
        var current = Interlocked.Read(ref _oldest);
        while (timestampMs < current)
        {
            var seen = Interlocked.CompareExchange(ref _oldest, timestampMs, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
