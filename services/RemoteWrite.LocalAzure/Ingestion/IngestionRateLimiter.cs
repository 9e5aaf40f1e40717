using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>
/// Per-minute request and sample limits (Azure: 15,000 requests/min per DCE, 1,000,000 events/min
/// per workspace, CONTRACT §2). Fixed one-minute windows; past a limit the caller answers 429 with
/// <c>Retry-After</c> = seconds left in the window.
/// </summary>
internal sealed class IngestionRateLimiter(IOptions<LocalAzureOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _windowStartMinute = long.MinValue;
    private long _requests;
    private long _samples;

    public int RequestsPerMinute { get; set; } = options.Value.RequestsPerMinute;

    public long SamplesPerMinute { get; set; } = options.Value.SamplesPerMinute;

    /// <summary>Counts a request; returns seconds to wait when over a limit, else null.</summary>
    public int? TryAcquireRequest()
    {
        if (RequestsPerMinute <= 0 && SamplesPerMinute <= 0)
        {
            return null;
        }

        lock (_gate)
        {
            var retryAfter = Roll();
            if ((RequestsPerMinute > 0 && _requests >= RequestsPerMinute) || (SamplesPerMinute > 0 && _samples >= SamplesPerMinute))
            {
                return retryAfter;
            }

            _requests++;
            return null;
        }
    }

    public void AddSamples(long samples)
    {
        if (SamplesPerMinute <= 0)
        {
            return;
        }

        lock (_gate)
        {
            Roll();
            _samples += samples;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _windowStartMinute = long.MinValue;
        }
    }

    // Starts a new window when the minute changed; returns the seconds left in the current one.
    private int Roll()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var minute = now / 60;
        if (minute != _windowStartMinute)
        {
            _windowStartMinute = minute;
            _requests = 0;
            _samples = 0;
        }

        return (int)Math.Max(1, ((minute + 1) * 60) - now);
    }
}
