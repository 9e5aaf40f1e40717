using System.Diagnostics.Metrics;

namespace RemoteWrite.Ingress;

/// <summary>Counters of publishing to the sidecar, exported as <c>remotewrite_ingress_*</c>.</summary>
public sealed class IngressMetrics
{
    public const string MeterName = "RemoteWrite.Ingress";

    private readonly Counter<long> _published;
    private readonly Counter<long> _publishedBytes;
    private readonly Counter<long> _publishedSamples;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _duration;

    public IngressMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("remotewrite.ingress.published", "{message}", "Parts the sidecar acknowledged.");
        _publishedBytes = meter.CreateCounter<long>("remotewrite.ingress.published.bytes", "By", "Compressed bytes the sidecar acknowledged.");
        _publishedSamples = meter.CreateCounter<long>("remotewrite.ingress.published.samples", "{sample}", "Samples and histogram points in acknowledged parts.");
        _failed = meter.CreateCounter<long>("remotewrite.ingress.publish.failures", "{message}", "Publishes the sidecar refused or did not answer in time.");
        _duration = meter.CreateHistogram<double>("remotewrite.ingress.publish.duration", "s", "Time for the sidecar to acknowledge one part.");

        // Every counter exists from start, at zero, so rates and alerts work before the first event.
        _published.Add(0);
        _publishedBytes.Add(0);
        _publishedSamples.Add(0);
        _failed.Add(0);
    }

    public void Published(int bytes, int points, double seconds)
    {
        _published.Add(1);
        _publishedBytes.Add(bytes);
        _publishedSamples.Add(points);
        _duration.Record(seconds);
    }

    public void Failed() => _failed.Add(1);
}
