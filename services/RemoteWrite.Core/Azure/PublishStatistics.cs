namespace RemoteWrite.Core.Azure;

/// <summary>
/// Totals since the last look, for the side car's per-minute line (CONTRACT.md §3): POSTs that
/// Azure accepted or not, their bytes and durations. Thread-safe; <see cref="TakeSnapshot"/> resets.
/// </summary>
public sealed class PublishStatistics
{
    private readonly Lock _gate = new();
    private long _succeeded;
    private long _failed;
    private long _bytes;
    private double _seconds;

    public void Record(bool succeeded, int bytes, TimeSpan duration)
    {
        lock (_gate)
        {
            if (succeeded)
            {
                _succeeded++;
            }
            else
            {
                _failed++;
            }

            _bytes += bytes;
            _seconds += duration.TotalSeconds;
        }
    }

    public PublishSnapshot TakeSnapshot()
    {
        lock (_gate)
        {
            var snapshot = new PublishSnapshot(_succeeded, _failed, _bytes, _seconds);
            _succeeded = _failed = _bytes = 0;
            _seconds = 0;
            return snapshot;
        }
    }
}

/// <summary>One interval's totals and the averages the side car logs.</summary>
public readonly record struct PublishSnapshot(long Succeeded, long Failed, long Bytes, double Seconds)
{
    public long Requests => Succeeded + Failed;

    public long AverageBytesPerRequest => Requests == 0 ? 0 : Bytes / Requests;

    public double AverageRequestSeconds => Requests == 0 ? 0 : Seconds / Requests;
}
