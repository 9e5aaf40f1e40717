namespace RemoteWrite.Core.Azure.Status;

/// <summary>
/// Counts over the last minute in one-second buckets (fixed memory), and the total since start.
/// Fed once per request or part, never per sample.
/// </summary>
public sealed class RateWindow(TimeProvider time)
{
    public const int Seconds = 60;

    private readonly long[] _counts = new long[Seconds];
    private readonly long[] _stamps = new long[Seconds];
    private readonly Lock _gate = new();
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Add(long count)
    {
        if (count <= 0)
        {
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var i = (int)(now % Seconds);
        lock (_gate)
        {
            if (_stamps[i] != now)
            {
                _stamps[i] = now;
                _counts[i] = 0;
            }

            _counts[i] += count;
            _total += count;
        }
    }

    /// <summary>The sum over the last <see cref="Seconds"/> seconds.</summary>
    public long LastMinute()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        long sum = 0;
        lock (_gate)
        {
            for (var i = 0; i < Seconds; i++)
            {
                if (now - _stamps[i] < Seconds)
                {
                    sum += _counts[i];
                }
            }
        }

        return sum;
    }

    /// <summary>The mean rate per second over the last minute.</summary>
    public double PerSecond() => LastMinute() / (double)Seconds;
}
