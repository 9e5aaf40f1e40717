using System.Diagnostics.Metrics;

namespace RemoteWrite.LocalAzure.Ingestion;

/// <summary>The stand-in's own metrics (meter <c>RemoteWrite.LocalAzure</c>, exported at /metrics).</summary>
internal sealed class LocalAzureMetrics : IDisposable
{
    public const string MeterName = "RemoteWrite.LocalAzure";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _samplesStored;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _tokens;

    public LocalAzureMetrics(IMeterFactory meters, SeriesStore store)
    {
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateCounter<long>("localazure.ingestion.requests", "{request}", "Ingestion requests by HTTP status.");
        _samplesStored = _meter.CreateCounter<long>("localazure.ingestion.samples.stored", "{sample}", "Samples stored.");
        _dropped = _meter.CreateCounter<long>("localazure.ingestion.samples.dropped", "{sample}", "Samples dropped, by reason.");
        _tokens = _meter.CreateCounter<long>("localazure.tokens.issued", "{token}", "Access tokens issued, by credential kind.");
        _meter.CreateObservableGauge("localazure.series", () => store.Count, "{series}", "Series stored (case-insensitive).");
    }

    public void Request(int status) => _requests.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status));

    public void Stored(long samples) => _samplesStored.Add(samples);

    public void DroppedOldData(long samples)
    {
        if (samples > 0)
        {
            _dropped.Add(samples, new KeyValuePair<string, object?>("reason", "OldData"));
        }
    }

    public void TokenIssued(string kind) => _tokens.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Dispose() => _meter.Dispose();
}
