using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Azure;

/// <summary>
/// Delivers one part to one <see cref="SendTarget"/> and says what that means for the data:
/// 401/403 → new token and one more try (a role assignment takes ~30 minutes to apply, so a 403
/// is not a reason to drop data, CONTRACT.md §2) → retry later; 429/5xx/timeout → retry later with
/// Azure's Retry-After; 400/413 → rejected with Azure's message (counted and logged).
/// Shared by the single-destination sink and the several-destinations sink.
/// </summary>
public sealed partial class AzurePartSender(
    AzureMonitorSender sender,
    SenderMetrics metrics,
    PublishStatistics statistics,
    IOptions<AzureMonitorOptions> options,
    SendFailureLog failures,
    Status.IngestionStatus status,
    ILogger<AzurePartSender> logger)
{
    public async ValueTask<SinkResult> DeliverPartAsync(EncodedPart part, SendTarget target, CancellationToken cancellationToken)
    {
        var result = await SendPartAsync(part, target, cancellationToken);
        switch (result.Outcome)
        {
            case SendOutcome.Accepted:
                failures.Recovered();
                return SinkResult.Delivered;

            case SendOutcome.Rejected:
                LogRejected(logger, result.StatusCode, part.Summary.Samples + part.Summary.Histograms, result.Message);
                return SinkResult.Rejected(result.Message ?? "Azure Monitor refused the data");

            case SendOutcome.NoToken:
                failures.Failed(0, "no Entra ID token yet");
                status.RecordNotSent(StatusDestination(target), StatusEndpoint(target), "no Entra ID token yet");
                return SinkResult.Retry("no Entra ID token yet (see the log and /ready)");

            case SendOutcome.Unauthorized:
                var refused = result.Message + " (the identity needs the role Monitoring Metrics Publisher on the data collection rule; a new assignment takes ~30 minutes)";
                failures.Failed(result.StatusCode, refused);
                return SinkResult.Retry(refused, result.RetryAfter);

            default:
                failures.Failed(result.StatusCode, result.Message ?? "Azure Monitor unavailable");
                return SinkResult.Retry(result.Message ?? "Azure Monitor unavailable", result.RetryAfter);
        }
    }

    private async Task<SendResult> SendPartAsync(EncodedPart part, SendTarget target, CancellationToken cancellationToken)
    {
        var tokens = target.Tokens;
        if (await tokens.GetTokenAsync(cancellationToken) is not { } token)
        {
            return new SendResult(SendOutcome.NoToken, 0);
        }

        var result = await SendOnceAsync(part, target, token, cancellationToken);
        if (result.Outcome != SendOutcome.Unauthorized)
        {
            return result;
        }

        tokens.Invalidate(token);
        AccessToken? fresh;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(options.Value.FreshTokenTimeout);
            try
            {
                fresh = await tokens.GetTokenAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                fresh = null;
            }
        }

        return fresh is { } again ? await SendOnceAsync(part, target, again, cancellationToken) : result;
    }

    private async Task<SendResult> SendOnceAsync(EncodedPart part, SendTarget target, AccessToken token, CancellationToken cancellationToken)
    {
        var result = await sender.SendAsync(target.Url, part.Compressed, token, cancellationToken);
        metrics.Sent(result, part.Length, part.Summary, target.Destination, target.Endpoint);
        statistics.Record(result.Outcome == SendOutcome.Accepted, part.Length, result.Duration);
        status.RecordSend(StatusDestination(target), StatusEndpoint(target), result, part.Summary);
        target.Observer?.Answered(result);
        return result;
    }

    // The status page names the single destination of INGESTION_URL "default", by its URL.
    private static string StatusDestination(SendTarget target) => target.Destination ?? Status.IngestionStatus.DefaultDestination;

    private static string StatusEndpoint(SendTarget target) => target.Endpoint ?? target.Url.OriginalString;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure Monitor refused a part as invalid ({Status}); {Points} points dropped: {Message}")]
    private static partial void LogRejected(ILogger logger, int status, int points, string? message);
}
