using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Azure;

/// <summary>
/// Delivers a prepared write straight to Azure Monitor: every part, in order, before the receiver
/// answers, so Prometheus' WAL stays the only buffer and nothing is lost once 204 is answered.
/// 401/403 → new token and one more try (a role assignment takes ~30 minutes to apply, so a 403
/// is not a reason to drop data, CONTRACT.md §2) → retry later; 429/5xx/timeout → retry later with
/// Azure's Retry-After; 400/413 → rejected with Azure's message (the other parts are still sent).
/// </summary>
public sealed partial class AzureMonitorSink(
    AzureMonitorSender sender,
    IAccessTokenSource tokens,
    SenderMetrics metrics,
    PublishStatistics statistics,
    IOptions<AzureMonitorOptions> options,
    ILogger<AzureMonitorSink> logger) : IWriteSink
{
    public async ValueTask<SinkResult> DeliverAsync(PreparedWrite write, CancellationToken cancellationToken)
    {
        string? rejected = null;
        foreach (var part in write.Parts)
        {
            var result = await SendPartAsync(part, cancellationToken);
            switch (result.Outcome)
            {
                case SendOutcome.Accepted:
                    continue;

                case SendOutcome.Rejected:
                    // Sending it again can never succeed; the rest of the request still can.
                    LogRejected(logger, result.StatusCode, part.Summary.Samples + part.Summary.Histograms, result.Message);
                    rejected ??= result.Message;
                    continue;

                case SendOutcome.NoToken:
                    return SinkResult.Retry("no Entra ID token yet (see the relay's log and /ready)");

                case SendOutcome.Unauthorized:
                    LogUnauthorized(logger, result.StatusCode, result.Message);
                    return SinkResult.Retry(result.Message + " (the identity needs the role Monitoring Metrics Publisher on the data collection rule; a new assignment takes ~30 minutes)", result.RetryAfter);

                default:
                    LogRetry(logger, result.StatusCode, result.Message);
                    return SinkResult.Retry(result.Message ?? "Azure Monitor unavailable", result.RetryAfter);
            }
        }

        return rejected is null ? SinkResult.Delivered : SinkResult.Rejected(rejected);
    }

    private async Task<SendResult> SendPartAsync(EncodedPart part, CancellationToken cancellationToken)
    {
        if (await tokens.GetTokenAsync(cancellationToken) is not { } token)
        {
            return new SendResult(SendOutcome.NoToken, 0);
        }

        var result = await SendOnceAsync(part, token, cancellationToken);
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

        return fresh is { } again ? await SendOnceAsync(part, again, cancellationToken) : result;
    }

    private async Task<SendResult> SendOnceAsync(EncodedPart part, AccessToken token, CancellationToken cancellationToken)
    {
        var result = await sender.SendAsync(part.Compressed, token, cancellationToken);
        metrics.Sent(result, part.Length, part.Summary);
        statistics.Record(result.Outcome == SendOutcome.Accepted, part.Length, result.Duration);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure Monitor refused a part as invalid ({Status}); {Points} points dropped: {Message}")]
    private static partial void LogRejected(ILogger logger, int status, int points, string? message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure Monitor refused the token ({Status}) even after a refresh; asking the sender to retry: {Message}")]
    private static partial void LogUnauthorized(ILogger logger, int status, string? message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Azure Monitor asked to retry ({Status}): {Message}")]
    private static partial void LogRetry(ILogger logger, int status, string? message);
}
