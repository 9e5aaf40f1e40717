using System.Diagnostics.Metrics;
using RemoteWrite.Core.Filters;

namespace RemoteWrite.Forwarder;

/// <summary>How deliveries were answered and how they were batched; exported as <c>remotewrite_forwarder_*</c>.</summary>
public sealed class ForwarderMetrics
{
    public const string MeterName = "RemoteWrite.Forwarder";

    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _dropped;
    private readonly Histogram<long> _deliveriesPerRequest;
    private readonly Histogram<long> _bytesPerRequest;
    private readonly Counter<long> _requests;

    public ForwarderMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _deliveries = meter.CreateCounter<long>("remotewrite.forwarder.deliveries", "{message}", "Deliveries answered, by status (success, retry, drop).");
        _dropped = meter.CreateCounter<long>("remotewrite.forwarder.dropped", "{sample}", "Samples and histogram points dropped on purpose, by reason.");
        _requests = meter.CreateCounter<long>("remotewrite.forwarder.azure.requests", "{request}", "Merged requests sent to Azure Monitor.");
        _deliveriesPerRequest = meter.CreateHistogram<long>("remotewrite.forwarder.batch.deliveries", "{message}", "Deliveries merged into one Azure request.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _bytesPerRequest = meter.CreateHistogram<long>("remotewrite.forwarder.batch.bytes", "By", "Compressed bytes of one Azure request.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [16_384, 65_536, 131_072, 262_144, 524_288, 786_432, 1_048_576] });
    }

    public void Answered(DeliveryStatus status, int count) =>
        _deliveries.Add(count, new KeyValuePair<string, object?>("status", status.ToWire().ToLowerInvariant()));

    public void Dropped(DropReason reason, int points) =>
        _dropped.Add(points, new KeyValuePair<string, object?>("reason", reason.ToLabel()));

    /// <summary>Any other reason (invalid data) by its label.</summary>
    public void Dropped(string reason, int points) =>
        _dropped.Add(points, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>One group of deliveries merged and sent as <paramref name="partBytes"/>.Count requests.</summary>
    public void Batched(int deliveries, IReadOnlyList<int> partBytes)
    {
        _requests.Add(partBytes.Count);
        foreach (var bytes in partBytes)
        {
            _deliveriesPerRequest.Record(Math.Max(1, deliveries / partBytes.Count));
            _bytesPerRequest.Record(bytes);
        }
    }
}
