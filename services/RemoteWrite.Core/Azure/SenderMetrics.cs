using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Azure;

/// <summary>What was sent to Azure Monitor and how it answered; exported as <c>remotewrite_sender_*</c>.</summary>
public sealed class SenderMetrics
{
    public const string MeterName = "RemoteWrite.Sender";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _samples;
    private readonly Counter<long> _histograms;
    private readonly Counter<long> _parts;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _rejected;

    public SenderMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("remotewrite.sender.requests", "{request}", "POSTs to Azure Monitor by status code (0: no answer) and outcome.");
        _duration = meter.CreateHistogram<double>("remotewrite.sender.duration", "s", "Upstream latency of one POST to Azure Monitor (all attempts).");
        _samples = meter.CreateCounter<long>("remotewrite.sender.samples", "{sample}", "Samples Azure Monitor accepted.");
        _histograms = meter.CreateCounter<long>("remotewrite.sender.histograms", "{histogram}", "Native histogram points Azure Monitor accepted.");
        _parts = meter.CreateCounter<long>("remotewrite.sender.parts", "{part}", "Bodies Azure Monitor accepted.");
        _bytes = meter.CreateCounter<long>("remotewrite.sender.bytes", "By", "Compressed bytes Azure Monitor accepted.");
        _rejected = meter.CreateCounter<long>("remotewrite.sender.rejected", "{sample}", "Samples and histogram points Azure Monitor refused as invalid (400/413): dropped.");

        // Every untagged counter exists from start, at zero, so rates and alerts work before the first POST.
        _samples.Add(0);
        _histograms.Add(0);
        _parts.Add(0);
        _bytes.Add(0);
        _rejected.Add(0);
    }

    /// <summary>
    /// One POST's answer. <paramref name="destination"/> and <paramref name="endpoint"/> (several
    /// destinations, DESTINATIONS_FILE) become the labels <c>destination</c> and <c>endpoint</c>;
    /// the single destination of INGESTION_URL has neither, as before.
    /// </summary>
    public void Sent(SendResult result, int bytes, ScanSummary summary, string? destination = null, string? endpoint = null)
    {
        var where = new TagList();
        if (destination is not null)
        {
            where.Add("destination", destination);
            where.Add("endpoint", endpoint);
        }

        var code = where;
        code.Add("code", result.StatusCode.ToString(CultureInfo.InvariantCulture));
        var request = code;
        request.Add("outcome", result.Outcome.ToString().ToLowerInvariant());
        _requests.Add(1, request);
        _duration.Record(result.Duration.TotalSeconds, code);
        switch (result.Outcome)
        {
            case SendOutcome.Accepted:
                _samples.Add(summary.Samples, where);
                _histograms.Add(summary.Histograms, where);
                _parts.Add(1, where);
                _bytes.Add(bytes, where);
                break;
            case SendOutcome.Rejected:
                _rejected.Add(summary.Samples + summary.Histograms, where);
                break;
        }
    }
}
