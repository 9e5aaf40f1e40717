using Microsoft.Extensions.Options;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Azure;

/// <summary>
/// Delivers a prepared write straight to the single destination of <c>INGESTION_URL</c>: every part
/// (concurrently, bounded, <see cref="PartBatch"/>) before the receiver answers, so Prometheus' WAL
/// stays the only buffer and nothing is lost once 204 is answered. What each answer means is
/// <see cref="AzurePartSender"/>'s; several destinations are <see cref="Destinations.DestinationsSink"/>'s.
/// </summary>
public sealed class AzureMonitorSink(AzurePartSender parts, IAccessTokenSource tokens, IOptions<AzureMonitorOptions> options) : IWriteSink
{
    private readonly SendTarget _target = new(
        new Uri(options.Value.IngestionUrl?.Trim() ?? throw new InvalidOperationException("AzureMonitor:IngestionUrl is not set.")),
        tokens);

    public ValueTask<SinkResult> DeliverAsync(PreparedWrite write, CancellationToken cancellationToken) =>
        PartBatch.DeliverAllAsync(write.Parts, DeliverPartAsync, options.Value.MaxConcurrentSendsPerBatch, cancellationToken);

    /// <summary>
    /// Sends one part: Delivered, Rejected (400/413, with Azure's message, counted and logged) or
    /// RetryLater (with Azure's Retry-After). Parts of one batch may be sent concurrently.
    /// </summary>
    public ValueTask<SinkResult> DeliverPartAsync(EncodedPart part, CancellationToken cancellationToken) =>
        parts.DeliverPartAsync(part, _target, cancellationToken);
}
