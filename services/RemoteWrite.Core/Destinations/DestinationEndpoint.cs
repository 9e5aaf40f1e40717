using System.Threading.RateLimiting;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Core.Destinations;

/// <summary>
/// One ingestion URL of a destination: its share of Azure's 15,000 requests per minute per DCE
/// (a sliding window; when it is spent the endpoint is avoided until the window frees a slot), its
/// health (an answer 429/5xx, a timeout or no connection avoids it for Azure's Retry-After or a
/// backoff of 1 s doubling to 30 s; a 2xx ends the backoff) and the requests in flight (least load).
/// </summary>
public sealed class DestinationEndpoint : ISendObserver, IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>The window is cut in 12 segments: a spent budget frees its first slots 5 s later.</summary>
    private const int WindowSegments = 12;

    private readonly TimeProvider _time;
    private readonly DestinationMetrics _metrics;
    private readonly SlidingWindowRateLimiter _limiter;
    private long _avoidedUntilTicks;
    private int _failures;
    private int _inFlight;

    public DestinationEndpoint(string destination, Uri url, int maxRequestsPerMinute, IAccessTokenSource tokens, TimeProvider time, DestinationMetrics metrics)
    {
        Url = url;
        Label = url.GetLeftPart(UriPartial.Path);
        Hash = RendezvousHash.Hash(url.AbsoluteUri);
        _time = time;
        _metrics = metrics;
        Target = new SendTarget(url, tokens, destination, Label, this);
        _limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = maxRequestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = WindowSegments,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public Uri Url { get; }

    /// <summary>The URL without its query: the metric label <c>endpoint</c>.</summary>
    public string Label { get; }

    public ulong Hash { get; }

    public SendTarget Target { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool IsAvailable => _time.GetUtcNow().UtcTicks >= Volatile.Read(ref _avoidedUntilTicks);

    /// <summary>How long it stays avoided (zero when available).</summary>
    public TimeSpan AvoidedFor
    {
        get
        {
            var left = Volatile.Read(ref _avoidedUntilTicks) - _time.GetUtcNow().UtcTicks;
            return left > 0 ? TimeSpan.FromTicks(left) : TimeSpan.Zero;
        }
    }

    /// <summary>Takes one request of the per-minute budget; false (and avoided until a slot frees) when it is spent.</summary>
    public bool TryAcquire()
    {
        using var lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return true;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero
            ? after
            : TimeSpan.FromMinutes(1) / WindowSegments;
        Avoid(wait, "rate_limited");
        return false;
    }

    /// <summary>Counts a request in flight until the result is disposed.</summary>
    public InFlightScope Begin()
    {
        Interlocked.Increment(ref _inFlight);
        return new InFlightScope(this);
    }

    public void Answered(in SendResult result)
    {
        if (result.Outcome == SendOutcome.Accepted)
        {
            Volatile.Write(ref _failures, 0);
            return;
        }

        if (result.Outcome != SendOutcome.Retry)
        {
            return; // 401/403 and 400/413 are about the identity or the data, not this endpoint
        }

        var failures = Interlocked.Increment(ref _failures);
        var backoff = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures - 1, 10)));
        Avoid(result.RetryAfter ?? (backoff < MaxBackoff ? backoff : MaxBackoff), "unhealthy");
    }

    public void Dispose() => _limiter.Dispose();

    private void Avoid(TimeSpan wait, string reason)
    {
        var until = (_time.GetUtcNow() + wait).UtcTicks;
        long current;
        do
        {
            current = Volatile.Read(ref _avoidedUntilTicks);
            if (current >= until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _avoidedUntilTicks, until, current) != current);

        _metrics.Avoided(Target.Destination!, Label, reason);
    }

    public readonly struct InFlightScope(DestinationEndpoint endpoint) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref endpoint._inFlight);
    }
}
