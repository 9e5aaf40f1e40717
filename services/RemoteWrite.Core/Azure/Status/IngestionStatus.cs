using System.Collections.Concurrent;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Azure.Status;

/// <summary>
/// What the status page and the volume gauges show, in one registry: points in and out, drops by
/// reason, and per destination and ingestion endpoint the last success and the last errors with
/// Azure's reason. Keyed by (destination, endpoint URL); the single destination of
/// <c>INGESTION_URL</c> is <see cref="DefaultDestination"/>. Fed once per request or part (never
/// per sample) from: the receiver (<c>RemoteWriteApi</c>: received, dropped, truncated), the
/// forwarder (<c>DeliveryForwarder</c>: received, dropped), the Azure part sender (<c>AzurePartSender</c>:
/// every POST, for every destination and endpoint) and <see cref="Limits.SeriesWatch"/> (active series, case collisions).
/// </summary>
public sealed class IngestionStatus(TimeProvider time)
{
    public const string DefaultDestination = "default";

    private readonly ConcurrentDictionary<(string Destination, string Endpoint), EndpointStatus> _endpoints = new();
    private readonly ConcurrentDictionary<string, DestinationVolume> _destinations = new(StringComparer.Ordinal);
    private readonly long[] _dropped = new long[Enum.GetValues<DropReason>().Length];
    private long _truncatedSeries;
    private long _caseCollisions;

    public DateTimeOffset Started { get; } = time.GetUtcNow();

    /// <summary>Samples and histogram points received in valid requests.</summary>
    public RateWindow Received { get; } = new(time);

    /// <summary>Samples and histogram points Azure accepted, over all destinations.</summary>
    public RateWindow Sent { get; } = new(time);

    public long TruncatedSeries => Interlocked.Read(ref _truncatedSeries);

    public long CaseCollisions => Interlocked.Read(ref _caseCollisions);

    public void RecordReceived(ScanSummary summary) => Received.Add(summary.Samples + summary.Histograms);

    public void RecordDropped(DropReason reason, int points)
    {
        if (points > 0)
        {
            Interlocked.Add(ref _dropped[(int)reason], points);
        }
    }

    public void RecordTruncated(int series) => Interlocked.Add(ref _truncatedSeries, series);

    public void RecordCaseCollisions(int series) => Interlocked.Add(ref _caseCollisions, series);

    /// <summary>One POST to <paramref name="endpoint"/> of <paramref name="destination"/> and its answer.</summary>
    public void RecordSend(string destination, string endpoint, SendResult result, ScanSummary summary)
    {
        var status = Endpoint(destination, endpoint);
        var points = summary.Samples + summary.Histograms;
        if (result.Outcome == SendOutcome.Accepted)
        {
            status.Succeeded(points);
            Destination(destination).Accepted.Add(points);
            Sent.Add(points);
        }
        else
        {
            status.Failed(result.StatusCode, result.Message ?? (result.Outcome == SendOutcome.NoToken ? "no Entra ID token yet" : result.Outcome.ToString()));
        }
    }

    /// <summary>A failure with no POST behind it (no token yet), shown with the endpoint it was meant for.</summary>
    public void RecordNotSent(string destination, string endpoint, string reason) => Endpoint(destination, endpoint).Failed(0, reason);

    private EndpointStatus Endpoint(string destination, string endpoint) =>
        _endpoints.GetOrAdd((destination, endpoint), static (key, t) => new EndpointStatus(key.Destination, key.Endpoint, t), time);

    public DestinationVolume Destination(string name) =>
        _destinations.GetOrAdd(name, static (n, t) => new DestinationVolume(n, t), time);

    public long Dropped(DropReason reason) => Interlocked.Read(ref _dropped[(int)reason]);

    /// <summary>Endpoints ordered by destination, then URL.</summary>
    public IReadOnlyList<EndpointStatus> Endpoints() =>
        [.. _endpoints.Values.OrderBy(e => e.Destination, StringComparer.Ordinal).ThenBy(e => e.Endpoint, StringComparer.Ordinal)];

    public IReadOnlyList<DestinationVolume> Destinations() =>
        [.. _destinations.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];
}
