using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Destinations;

/// <summary>
/// Delivers a prepared write to the destinations it must reach (DESTINATIONS_FILE) and answers for
/// all of them: Delivered only when every destination accepted, RetryLater when any must be sent
/// again (resending is safe: Azure stores a duplicate sample once), Rejected only when refused as
/// invalid (<see cref="PartBatch.Combine"/>). Destinations are sent to concurrently, so one in
/// outage never delays another's data beyond this request.
/// Which destinations get what is <see cref="DestinationRouter{T}"/>'s; a destination that gets only some
/// series has them re-encoded. What no route wants is counted as <c>unrouted</c>.
/// Within a destination: one series always to the same endpoint (rendezvous hashing over the
/// available endpoints), or each part to the least-loaded one; an endpoint that answers 429/5xx or
/// has spent its requests per minute is avoided and its data goes to the next available endpoint in
/// the same request (<see cref="DestinationEndpoint"/>).
/// </summary>
public sealed class DestinationsSink(
    DestinationSet destinations,
    AzurePartSender sender,
    IOptions<AzureMonitorOptions> options,
    IOptions<WriteLimits> limits,
    DestinationMetrics metrics) : IRoutedWriteSink
{
    public bool Knows(string destination) => destinations.Find(destination) is not null;

    public ValueTask<SinkResult> DeliverAsync(PreparedWrite write, CancellationToken cancellationToken) =>
        DeliverAsync(write, default, cancellationToken);

    public async ValueTask<SinkResult> DeliverAsync(PreparedWrite write, WriteAddress address, CancellationToken cancellationToken)
    {
        var whole = destinations.Router.Whole(address, out var byLabel);
        DecodedWrite? decoded = null;
        var sends = new List<Task<SinkResult>>();
        try
        {
            if (byLabel)
            {
                decoded = Decode(write);
                var selections = destinations.Router.ByLabel(decoded, out var unrouted);
                if (unrouted > 0)
                {
                    metrics.Unrouted(unrouted);
                }

                foreach (var (destination, series) in selections)
                {
                    sends.Add(DeliverSeriesAsync(destination, decoded, series, cancellationToken));
                }
            }

            foreach (var destination in whole)
            {
                if (destination.NeedsSeries)
                {
                    decoded ??= Decode(write);
                    sends.Add(DeliverSeriesAsync(destination, decoded, [.. Enumerable.Range(0, decoded.SeriesCount)], cancellationToken));
                }
                else
                {
                    sends.Add(DeliverPartsAsync(destination, write.Parts, cancellationToken));
                }
            }

            if (sends.Count == 0)
            {
                metrics.Unrouted(write.Accepted.Points);
                return SinkResult.Delivered;
            }

            return PartBatch.Combine(await Task.WhenAll(sends));
        }
        finally
        {
            if (decoded is not null)
            {
                // The decoded body is pooled: every send reading it ends before it goes back.
                await Task.WhenAll(sends).ContinueWith(_ => { }, TaskScheduler.Default);
                decoded.Dispose();
            }
        }
    }

    private DecodedWrite Decode(PreparedWrite write) => new(write.Parts, limits.Value.MaxDecodedBytes);

    // Parts as they are: each to the least-loaded available endpoint (the only one, with one endpoint).
    private async Task<SinkResult> DeliverPartsAsync(Destination destination, IReadOnlyList<EncodedPart> parts, CancellationToken cancellationToken) =>
        Named(destination, await PartBatch.DeliverAllAsync(parts, (part, ct) => SendToLeastLoadedAsync(destination, part, ct), options.Value.MaxConcurrentSendsPerBatch, cancellationToken));

    private async ValueTask<SinkResult> SendToLeastLoadedAsync(Destination destination, EncodedPart part, CancellationToken cancellationToken)
    {
        SinkResult? last = null;
        for (var attempt = 0; attempt < destination.Endpoints.Count; attempt++)
        {
            if (LeastLoaded(destination) is not { } endpoint)
            {
                break;
            }

            if (!endpoint.TryAcquire())
            {
                continue;
            }

            using (endpoint.Begin())
            {
                last = await sender.DeliverPartAsync(part, endpoint.Target, cancellationToken);
            }

            // Not this endpoint's fault (token, invalid data), or it stays in use: no other endpoint would do better.
            if (last.Value.Status != SinkStatus.RetryLater || endpoint.IsAvailable)
            {
                return last.Value;
            }
        }

        return last ?? AllAvoided(destination);
    }

    private static DestinationEndpoint? LeastLoaded(Destination destination)
    {
        DestinationEndpoint? best = null;
        foreach (var endpoint in destination.Endpoints)
        {
            if (endpoint.IsAvailable && (best is null || endpoint.InFlight < best.InFlight))
            {
                best = endpoint;
            }
        }

        return best;
    }

    // Series grouped by endpoint (rendezvous hashing over the available ones); a group whose endpoint
    // failed and is now avoided goes, in the same request, to the next available endpoint.
    private async Task<SinkResult> DeliverSeriesAsync(Destination destination, DecodedWrite decoded, List<int> series, CancellationToken cancellationToken)
    {
        var maxPart = limits.Value.MaxPartBytes;
        if (!destination.SpreadsBySeries)
        {
            var parts = Encode(destination, decoded, series, withMetadata: true, maxPart);
            try
            {
                return await DeliverPartsAsync(destination, parts, cancellationToken);
            }
            finally
            {
                Dispose(parts);
            }
        }

        var results = new List<SinkResult>();
        var pending = series;
        var metadataPending = decoded.HasMetadata;
        for (var round = 0; round < destination.Endpoints.Count && (pending.Count > 0 || metadataPending); round++)
        {
            var available = destination.Endpoints.Where(e => e.IsAvailable).ToArray();
            if (available.Length == 0)
            {
                results.Add(AllAvoided(destination));
                break;
            }

            var hashes = available.Select(e => e.Hash).ToArray();
            var groups = new List<int>?[available.Length];
            foreach (var i in pending)
            {
                (groups[RendezvousHash.Choose(decoded.HashOf(i), hashes)] ??= []).Add(i);
            }

            // Metadata rides with the group of the first pending series (or alone to the first endpoint).
            var metadataGroup = !metadataPending ? -1 : pending.Count > 0 ? RendezvousHash.Choose(decoded.HashOf(pending[0]), hashes) : 0;
            if (metadataGroup >= 0)
            {
                groups[metadataGroup] ??= [];
            }

            var sends = new Task<SinkResult>?[available.Length];
            for (var k = 0; k < available.Length; k++)
            {
                if (groups[k] is { } group)
                {
                    sends[k] = DeliverGroupAsync(destination, available[k], decoded, group, k == metadataGroup, maxPart, cancellationToken);
                }
            }

            var next = new List<int>();
            var lastRound = round + 1 >= destination.Endpoints.Count;
            for (var k = 0; k < available.Length; k++)
            {
                if (sends[k] is not { } send)
                {
                    continue;
                }

                var result = await send;
                var failOver = result.Status == SinkStatus.RetryLater && !available[k].IsAvailable && !lastRound && destination.Endpoints.Any(e => e.IsAvailable);
                if (failOver)
                {
                    next.AddRange(groups[k]!);
                }
                else
                {
                    results.Add(result);
                    if (k == metadataGroup)
                    {
                        metadataPending = false;
                    }
                }
            }

            pending = next;
        }

        return Named(destination, PartBatch.Combine(results));
    }

    private async Task<SinkResult> DeliverGroupAsync(Destination destination, DestinationEndpoint endpoint, DecodedWrite decoded, List<int> group, bool withMetadata, int maxPart, CancellationToken cancellationToken)
    {
        var parts = Encode(destination, decoded, group, withMetadata, maxPart);
        try
        {
            return await PartBatch.DeliverAllAsync(
                parts,
                async (part, ct) =>
                {
                    if (!endpoint.TryAcquire())
                    {
                        return SinkResult.Retry($"endpoint {endpoint.Label} spent its {destinationBudget(endpoint)} requests per minute", endpoint.AvoidedFor);
                    }

                    using (endpoint.Begin())
                    {
                        return await sender.DeliverPartAsync(part, endpoint.Target, ct);
                    }
                },
                options.Value.MaxConcurrentSendsPerBatch,
                cancellationToken);
        }
        finally
        {
            Dispose(parts);
        }

        string destinationBudget(DestinationEndpoint e) => destinations.Find(e.Target.Destination!)?.Settings.MaxRequestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    // The destination's series, after its own relabel rules (what they drop is counted per destination).
    private List<EncodedPart> Encode(Destination destination, DecodedWrite decoded, List<int> series, bool withMetadata, int maxPart)
    {
        var parts = decoded.Encode(series, withMetadata, maxPart, destination.Settings.Relabel, out var relabelled);
        if (!relabelled.IsEmpty)
        {
            metrics.Relabelled(destination.Name, relabelled.Points);
        }

        return parts;
    }

    private static SinkResult AllAvoided(Destination destination)
    {
        var soonest = destination.Endpoints.Min(e => e.AvoidedFor);
        return SinkResult.Retry("every endpoint is avoided for now (it answered 429/5xx or spent its requests per minute)", soonest > TimeSpan.Zero ? soonest : null);
    }

    // The answer says which destination failed.
    private static SinkResult Named(Destination destination, SinkResult result) =>
        result.Status == SinkStatus.Delivered ? result : result with { Message = $"destination '{destination.Name}': {result.Message}" };

    private static void Dispose(List<EncodedPart> parts)
    {
        foreach (var part in parts)
        {
            part.Dispose();
        }
    }
}
