using RemoteWrite.Core.Limits;

namespace RemoteWrite.Core.Azure.Status;

/// <summary>
/// One destination's volume against its workspace's limits: the points Azure accepted over the last
/// minute (its "events per minute") and, where the relay decodes the requests, the active series.
/// </summary>
public sealed class DestinationVolume(string name, TimeProvider time)
{
    private int _seriesMeasured;

    public string Name { get; } = name;

    /// <summary>Samples and histogram points Azure accepted for this destination.</summary>
    public RateWindow Accepted { get; } = new(time);

    public ActiveSeriesEstimator ActiveSeries { get; } = new(time);

    /// <summary>False where bodies pass undecoded (the Dapr forwarder): no series estimate is shown.</summary>
    public bool SeriesMeasured => Volatile.Read(ref _seriesMeasured) != 0;

    public void AddSeries(ulong labelsHash)
    {
        if (_seriesMeasured == 0)
        {
            Volatile.Write(ref _seriesMeasured, 1);
        }

        ActiveSeries.Add(labelsHash);
    }
}
