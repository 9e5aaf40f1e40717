using System.Diagnostics;
using Dapr;
using Dapr.Client;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Dapr;

namespace RemoteWrite.Ingress;

/// <summary>
/// Publishes every part of a request to the pub/sub through the sidecar and reports
/// <see cref="SinkStatus.Delivered"/> only once the sidecar acknowledged each one (daprd answers
/// <c>PublishEvent</c> after the broker stored it). Any failure or timeout is "retry later"
/// (503): the sender resends the whole request, and a part already published arrives twice,
/// which the at-least-once path downstream tolerates.
/// </summary>
public sealed class DaprPublisherSink(DaprClient dapr, IOptions<IngressOptions> options, IngressMetrics metrics, ILogger<DaprPublisherSink> logger) : IWriteSink
{
    private readonly IngressOptions _options = options.Value;

    public async ValueTask<SinkResult> DeliverAsync(PreparedWrite write, CancellationToken cancellationToken) =>
        await PublishAsync(write.Parts, _options.Topic, _options.Destination, cancellationToken);

    /// <summary>Publishes <paramref name="parts"/> to <paramref name="topic"/>, each with <paramref name="destination"/> in its facts.</summary>
    public async Task<SinkResult> PublishAsync(IReadOnlyList<EncodedPart> parts, string topic, string destination, CancellationToken cancellationToken)
    {
        // Bounded by the receiver's request deadline (Receiver__RequestDeadline), the one owner of "answer in time".
        foreach (var part in parts)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                // The hand-off contract (RemoteWrite.Dapr/HandOff.cs): raw bytes, octet-stream, the facts as metadata.
                await dapr.PublishByteEventAsync(_options.PubSubName, topic, part.Compressed, HandOff.ContentType, FactsOf(part, destination).ToPublishMetadata(), cancellationToken);
            }
            catch (Exception e) when (e is DaprException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                metrics.Failed();
                logger.LogWarning("Publishing to {PubSub}/{Topic} failed ({Error}); the sender is asked to retry", _options.PubSubName, topic, Describe(e));
                return SinkResult.Retry("the message broker is unavailable, try again");
            }

            metrics.Published(part.Length, part.Summary.Points, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        return SinkResult.Delivered;
    }

    private static MessageFacts FactsOf(EncodedPart part, string destination) =>
        new(part.Summary.Samples, part.Summary.Histograms, part.Summary.MinTimestamp, part.Summary.MaxTimestamp, destination);

    // The gRPC status says why (Unavailable, DeadlineExceeded …) without echoing request data.
    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "no acknowledgement in time",
        { InnerException: Grpc.Core.RpcException rpc } => rpc.StatusCode.ToString(),
        _ => e.GetType().Name,
    };
}
