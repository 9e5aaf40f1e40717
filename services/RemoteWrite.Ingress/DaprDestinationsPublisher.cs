using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Destinations;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Dapr;

namespace RemoteWrite.Ingress;

/// <summary>
/// The ingress with DESTINATIONS_FILE: each destination's share of a request (routed as the relay
/// routes, <see cref="DestinationRouter{T}"/>: path, fan-out, header, label) is published to the
/// destination's own topic (<see cref="DaprNames.DestinationTopic"/>), where that destination's
/// forwarder takes it. A destination in outage holds up only its own forwarder; the broker keeps
/// its messages. The answer is 204 once every destination's share is published, else 503.
/// </summary>
public sealed class DaprDestinationsPublisher : IRoutedWriteSink
{
    private readonly DaprPublisherSink _publisher;
    private readonly IngressOptions _options;
    private readonly WriteLimits _limits;
    private readonly DestinationMetrics _metrics;
    private readonly DestinationRouter<DestinationSettings> _router;

    public DaprDestinationsPublisher(DaprPublisherSink publisher, IOptions<DestinationsOptions> destinations, IOptions<IngressOptions> options, IOptions<WriteLimits> limits, DestinationMetrics metrics)
    {
        _publisher = publisher;
        _options = options.Value;
        _limits = limits.Value;
        _metrics = metrics;
        var d = destinations.Value;
        _router = new DestinationRouter<DestinationSettings>(d.Mode, d.Destinations, s => s.Name, s => s.Route, d.DefaultDestination);
    }

    public bool Knows(string destination) => _router.Find(destination) is not null;

    public ValueTask<SinkResult> DeliverAsync(PreparedWrite write, CancellationToken cancellationToken) => DeliverAsync(write, default, cancellationToken);

    public async ValueTask<SinkResult> DeliverAsync(PreparedWrite write, WriteAddress address, CancellationToken cancellationToken)
    {
        var whole = _router.Whole(address, out var byLabel);
        var results = new List<SinkResult>();
        var bySeries = new List<(DestinationSettings Destination, List<int>? Series)>();

        // A destination with its own relabel rules gets its series re-encoded; the others the parts as they are.
        foreach (var destination in whole)
        {
            if (destination.Relabel.IsEmpty)
            {
                results.Add(await PublishAsync(destination, write.Parts, cancellationToken));
            }
            else
            {
                bySeries.Add((destination, null));
            }
        }

        if (byLabel || bySeries.Count > 0)
        {
            using var decoded = new DecodedWrite(write.Parts, _limits.MaxDecodedBytes);
            if (byLabel)
            {
                var selections = _router.ByLabel(decoded, out var unrouted);
                foreach (var (destination, series) in selections)
                {
                    bySeries.Add((destination, series));
                }

                if (unrouted > 0)
                {
                    _metrics.Unrouted(unrouted);
                }
            }

            foreach (var (destination, chosen) in bySeries)
            {
                var series = chosen ?? [.. Enumerable.Range(0, decoded.SeriesCount)];
                var parts = decoded.Encode(series, withMetadata: true, _options.MaxMessageBytes, destination.Relabel, out var relabelled);
                if (!relabelled.IsEmpty)
                {
                    _metrics.Relabelled(destination.Name, relabelled.Points);
                }

                try
                {
                    results.Add(await PublishAsync(destination, parts, cancellationToken));
                }
                finally
                {
                    foreach (var part in parts)
                    {
                        part.Dispose();
                    }
                }
            }
        }

        if (results.Count == 0)
        {
            _metrics.Unrouted(write.Accepted.Points);
        }

        return PartBatch.Combine(results);
    }

    private async Task<SinkResult> PublishAsync(DestinationSettings destination, IReadOnlyList<RemoteWrite.Core.Batching.EncodedPart> parts, CancellationToken cancellationToken)
    {
        var result = await _publisher.PublishAsync(parts, DaprNames.DestinationTopic(_options.Topic, destination.Name), destination.Name, cancellationToken);
        return result.Status == SinkStatus.Delivered ? result : result with { Message = $"destination '{destination.Name}': {result.Message}" };
    }
}
