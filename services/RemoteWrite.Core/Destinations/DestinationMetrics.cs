using System.Diagnostics.Metrics;

namespace RemoteWrite.Core.Destinations;

/// <summary>
/// What several destinations add to the sender's metrics (which carry <c>destination</c> and
/// <c>endpoint</c> labels): data no route wanted, and endpoints avoided. Exported as <c>remotewrite_destination_*</c>.
/// </summary>
public sealed class DestinationMetrics
{
    public const string MeterName = "RemoteWrite.Destinations";

    private readonly Counter<long> _dropped;
    private readonly Counter<long> _avoided;

    public DestinationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _dropped = meter.CreateCounter<long>("remotewrite.destination.dropped", "{sample}", "Samples and histogram points dropped on purpose by routing, by reason: unrouted (no route and no default_destination), relabel (a destination's own relabel_config_file, with the destination).");
        _avoided = meter.CreateCounter<long>("remotewrite.destination.endpoint.avoided", "{event}", "Times an endpoint was taken out of use, by reason: unhealthy (429/5xx/no answer) or rate_limited (its requests-per-minute budget spent).");
        _dropped.Add(0, new KeyValuePair<string, object?>("reason", "unrouted"));
    }

    /// <summary>Points a destination's own relabel rules dropped (<c>reason="relabel"</c>, with the destination).</summary>
    public void Relabelled(string destination, int points) =>
        _dropped.Add(points, new KeyValuePair<string, object?>("reason", "relabel"), new KeyValuePair<string, object?>("destination", destination));

    public void Unrouted(int points) => _dropped.Add(points, new KeyValuePair<string, object?>("reason", "unrouted"));

    public void Avoided(string destination, string endpoint, string reason) =>
        _avoided.Add(1, new("destination", destination), new("endpoint", endpoint), new("reason", reason));
}
