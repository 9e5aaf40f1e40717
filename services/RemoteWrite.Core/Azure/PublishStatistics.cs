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
    private long _retried;
    private long _dropped;

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

    /// <summary>Messages handed back to the broker to be delivered again (the Dapr forwarder's RETRY).</summary>
    public void RecordRetried(int messages)
    {
        lock (_gate)
        {
            _retried += messages;
        }
    }

    /// <summary>Samples and histogram points dropped on purpose (counted by reason in the metrics).</summary>
    public void RecordDropped(int points)
    {
        lock (_gate)
        {
            _dropped += points;
        }
    }

    public PublishSnapshot TakeSnapshot()
    {
        lock (_gate)
        {
            var snapshot = new PublishSnapshot(_succeeded, _failed, _bytes, _seconds, _retried, _dropped);
            _succeeded = _failed = _bytes = _retried = _dropped = 0;
            _seconds = 0;
            return snapshot;
        }
    }
}

/// <summary>One interval's totals and the averages the side car logs.</summary>
public readonly record struct PublishSnapshot(long Succeeded, long Failed, long Bytes, double Seconds, long Retried = 0, long Dropped = 0)
{
    public long Requests => Succeeded + Failed;

    public long AverageBytesPerRequest => Requests == 0 ? 0 : Bytes / Requests;

    public double AverageRequestSeconds => Requests == 0 ? 0 : Seconds / Requests;
}
