using System.Diagnostics.Metrics;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Receiver;

/// <summary>Counters of the receive stage, exported at /metrics as <c>remotewrite_receiver_*</c>; every counter series exists from start.</summary>
public sealed class ReceiverMetrics
{
    public const string MeterName = "RemoteWrite.Receiver";

    private static readonly KeyValuePair<string, object?> TruncatedReason = new("reason", "label_value_length");

    private readonly Counter<long> _requests;
    private readonly Counter<long> _samplesReceived;
    private readonly Counter<long> _histogramsReceived;
    private readonly Counter<long> _exemplarsReceived;
    private readonly Counter<long> _samplesDropped;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _truncated;

    public ReceiverMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("remotewrite.receiver.requests", "{request}", "Remote-write requests answered, by status code.");
        _samplesReceived = meter.CreateCounter<long>("remotewrite.receiver.samples", "{sample}", "Samples received in valid requests.");
        _histogramsReceived = meter.CreateCounter<long>("remotewrite.receiver.histograms", "{histogram}", "Native histogram points received in valid requests.");
        _exemplarsReceived = meter.CreateCounter<long>("remotewrite.receiver.exemplars", "{exemplar}", "Exemplars received in valid requests.");
        _samplesDropped = meter.CreateCounter<long>("remotewrite.receiver.dropped", "{sample}", "Samples and histogram points dropped on purpose, by reason.");
        _truncated = meter.CreateCounter<long>("remotewrite.receiver.truncated", "{series}", "Series kept with label values cut to Azure's 1023-character limit (RemoteWrite__OverLimitLabels=truncate), by reason.");
        _duration = meter.CreateHistogram<double>("remotewrite.receiver.duration", "s", "Time to answer a remote-write request.");

        // Every series exists from start, at zero, so rates and alerts work before the first event.
        _samplesReceived.Add(0);
        _histogramsReceived.Add(0);
        _exemplarsReceived.Add(0);
        _truncated.Add(0, TruncatedReason);
        foreach (var reason in Enum.GetValues<DropReason>())
        {
            _samplesDropped.Add(0, new KeyValuePair<string, object?>("reason", reason.ToLabel()));
        }
    }

    public void Received(ScanSummary summary)
    {
        _samplesReceived.Add(summary.Samples);
        _histogramsReceived.Add(summary.Histograms);
        _exemplarsReceived.Add(summary.Exemplars);
    }

    public void Dropped(DropReason reason, DropCounts counts) =>
        _samplesDropped.Add(counts.Points, new KeyValuePair<string, object?>("reason", reason.ToLabel()));

    public void Truncated(int series) => _truncated.Add(series, TruncatedReason);

    public void Answered(int statusCode, double seconds)
    {
        var tag = new KeyValuePair<string, object?>("code", statusCode);
        _requests.Add(1, tag);
        _duration.Record(seconds, tag);
    }
}
