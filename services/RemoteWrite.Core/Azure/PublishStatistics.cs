namespace RemoteWrite.Core.Azure;

/// <summary>
/// Totals since the last look, for the side car's per-minute line (CONTRACT.md §3): POSTs that
/// Azure accepted or not, their bytes and durations. Thread-safe without a lock (every part records
/// here); <see cref="TakeSnapshot"/> resets. A record that lands during a snapshot may count partly
/// in this interval and partly in the next, never twice and never lost.
/// </summary>
public sealed class PublishStatistics
{
    private long _succeeded;
    private long _failed;
    private long _bytes;
    private long _durationTicks;
    private long _retried;
    private long _dropped;

    public void Record(bool succeeded, int bytes, TimeSpan duration)
    {
        Interlocked.Increment(ref succeeded ? ref _succeeded : ref _failed);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Add(ref _durationTicks, duration.Ticks);
    }

    /// <summary>Messages handed back to the broker to be delivered again (the Dapr forwarder's RETRY).</summary>
    public void RecordRetried(int messages) => Interlocked.Add(ref _retried, messages);

    /// <summary>Samples and histogram points dropped on purpose (counted by reason in the metrics).</summary>
    public void RecordDropped(int points) => Interlocked.Add(ref _dropped, points);

    public PublishSnapshot TakeSnapshot() => new(
        Interlocked.Exchange(ref _succeeded, 0),
        Interlocked.Exchange(ref _failed, 0),
        Interlocked.Exchange(ref _bytes, 0),
        TimeSpan.FromTicks(Interlocked.Exchange(ref _durationTicks, 0)).TotalSeconds,
        Interlocked.Exchange(ref _retried, 0),
        Interlocked.Exchange(ref _dropped, 0));
}

/// <summary>One interval's totals and the averages the side car logs.</summary>
public readonly record struct PublishSnapshot(long Succeeded, long Failed, long Bytes, double Seconds, long Retried = 0, long Dropped = 0)
{
    public long Requests => Succeeded + Failed;

    public long AverageBytesPerRequest => Requests == 0 ? 0 : Bytes / Requests;

    public double AverageRequestSeconds => Requests == 0 ? 0 : Seconds / Requests;
}
