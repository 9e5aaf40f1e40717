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
        if (byLabel)
        {
            using var decoded = new DecodedWrite(write.Parts, _limits.MaxDecodedBytes);
            var selections = _router.ByLabel(decoded, out var unrouted);
            if (unrouted > 0)
            {
                _metrics.Unrouted(unrouted);
            }

            foreach (var (destination, series) in selections)
            {
                var parts = decoded.Encode(series, withMetadata: true, _options.MaxMessageBytes);
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

        foreach (var destination in whole)
        {
            results.Add(await PublishAsync(destination, write.Parts, cancellationToken));
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
