using System.Diagnostics.Metrics;
using RemoteWrite.Core.Filters;
using RemoteWrite.Forwarder.Delivering;

namespace RemoteWrite.Forwarder;

/// <summary>
/// How deliveries were answered and how they were batched; exported as <c>remotewrite_forwarder_*</c>.
/// Every counter series exists from start at zero, so a rate or an alert works before the first event.
/// </summary>
public sealed class ForwarderMetrics
{
    public const string MeterName = "RemoteWrite.Forwarder";

    private static readonly KeyValuePair<string, object?> Success = new("status", "success");
    private static readonly KeyValuePair<string, object?> Retry = new("status", "retry");
    private static readonly KeyValuePair<string, object?> Drop = new("status", "drop");
    private static readonly KeyValuePair<string, object?> Invalid = new("reason", "invalid");

    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _droppedMessages;
    private readonly Histogram<long> _deliveriesPerRequest;
    private readonly Histogram<long> _bytesPerRequest;
    private readonly Counter<long> _requests;

    public ForwarderMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _deliveries = meter.CreateCounter<long>("remotewrite.forwarder.deliveries", "{message}", "Deliveries answered, by status (success, retry, drop).");
        _dropped = meter.CreateCounter<long>("remotewrite.forwarder.dropped", "{sample}", "Samples and histogram points dropped on purpose, by reason.");
        _droppedMessages = meter.CreateCounter<long>("remotewrite.forwarder.dropped.messages", "{message}", "Messages dropped whole because they are not valid remote-write (reason invalid).");
        _requests = meter.CreateCounter<long>("remotewrite.forwarder.azure.requests", "{request}", "Merged requests Azure Monitor accepted.");
        _deliveriesPerRequest = meter.CreateHistogram<long>("remotewrite.forwarder.batch.deliveries", "{message}", "Messages merged into one accepted Azure request.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _bytesPerRequest = meter.CreateHistogram<long>("remotewrite.forwarder.batch.bytes", "By", "Compressed bytes of one accepted Azure request.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [16_384, 65_536, 131_072, 262_144, 524_288, 786_432, 917_504, 1_048_576] });

        _deliveries.Add(0, Success);
        _deliveries.Add(0, Retry);
        _deliveries.Add(0, Drop);
        foreach (var reason in Enum.GetValues<DropReason>())
        {
            _dropped.Add(0, Reason(reason));
        }

        _droppedMessages.Add(0, Invalid);
        _requests.Add(0);
    }

    public void Answered(int success, int retry, int drop)
    {
        _deliveries.Add(success, Success);
        _deliveries.Add(retry, Retry);
        _deliveries.Add(drop, Drop);
    }

    public void Dropped(DropReason reason, int points) => _dropped.Add(points, Reason(reason));

    public void DroppedInvalid() => _droppedMessages.Add(1, Invalid);

    /// <summary>One Azure request of <paramref name="bytes"/> holding <paramref name="messages"/> messages was accepted.</summary>
    public void Batched(int messages, int bytes)
    {
        _requests.Add(1);
        _deliveriesPerRequest.Record(messages);
        _bytesPerRequest.Record(bytes);
    }

    private static KeyValuePair<string, object?> Reason(DropReason reason) => new("reason", reason.ToLabel());
}
