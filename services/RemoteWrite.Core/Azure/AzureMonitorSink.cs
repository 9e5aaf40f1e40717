using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Azure;

/// <summary>
/// Delivers a prepared write straight to Azure Monitor: every part (concurrently, bounded) before the
/// receiver answers, so Prometheus' WAL stays the only buffer and nothing is lost once 204 is answered.
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
    SendFailureLog failures,
    Status.IngestionStatus status,
    ILogger<AzureMonitorSink> logger) : IWriteSink
{
    public async ValueTask<SinkResult> DeliverAsync(PreparedWrite write, CancellationToken cancellationToken)
    {
        var parts = write.Parts;
        if (parts.Count == 1)
        {
            return await DeliverPartAsync(parts[0], cancellationToken);
        }

        // The parts go concurrently, bounded, so a split request answers within its deadline.
        using var batch = new PartBatch(parts.Count, options.Value.MaxConcurrentSendsPerBatch);
        var sends = new Task[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            sends[i] = DeliverBoundedAsync(parts[i], i, batch, cancellationToken);
        }

        await Task.WhenAll(sends);
        return Combine(batch.Results);
    }

    // One part that must be sent again makes the request "retry later" (with the longest Retry-After);
    // a part refused as invalid can never succeed, so it does not hold the others back.
    private static SinkResult Combine(SinkResult[] results)
    {
        SinkResult? retry = null;
        string? rejected = null;
        foreach (var result in results)
        {
            switch (result.Status)
            {
                case SinkStatus.RetryLater:
                    if (retry is not { } r || (result.RetryAfter ?? TimeSpan.Zero) > (r.RetryAfter ?? TimeSpan.Zero))
                    {
                        retry = result;
                    }

                    break;

                case SinkStatus.Rejected:
                    rejected ??= result.Message;
                    break;
            }
        }

        return retry ?? (rejected is null ? SinkResult.Delivered : SinkResult.Rejected(rejected));
    }

    private async Task DeliverBoundedAsync(EncodedPart part, int index, PartBatch batch, CancellationToken cancellationToken)
    {
        await batch.Slots.WaitAsync(cancellationToken);
        try
        {
            // Once a part must be sent again the sender resends the whole request: start no more.
            if (batch.Retry is { } retry)
            {
                batch.Results[index] = retry;
                return;
            }

            var result = await DeliverPartAsync(part, cancellationToken);
            batch.Results[index] = result;
            if (result.Status == SinkStatus.RetryLater)
            {
                batch.Retry = result;
            }
        }
        finally
        {
            batch.Slots.Release();
        }
    }

    private sealed class PartBatch(int parts, int concurrency) : IDisposable
    {
        public SinkResult[] Results { get; } = new SinkResult[parts];

        public SemaphoreSlim Slots { get; } = new(concurrency);

        public SinkResult? Retry { get; set; }

        public void Dispose() => Slots.Dispose();
    }

    /// <summary>
    /// Sends one part: Delivered, Rejected (400/413, with Azure's message, counted and logged) or
    /// RetryLater (with Azure's Retry-After). Parts of one batch may be sent concurrently.
    /// </summary>
    public async ValueTask<SinkResult> DeliverPartAsync(EncodedPart part, CancellationToken cancellationToken)
    {
        var result = await SendPartAsync(part, cancellationToken);
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
                status.RecordNotSent(Status.IngestionStatus.DefaultDestination, sender.Endpoint, "no Entra ID token yet");
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
        status.RecordSend(Status.IngestionStatus.DefaultDestination, sender.Endpoint, result, part.Summary);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure Monitor refused a part as invalid ({Status}); {Points} points dropped: {Message}")]
    private static partial void LogRejected(ILogger logger, int status, int points, string? message);
}
