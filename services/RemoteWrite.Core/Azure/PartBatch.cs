using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Azure;

/// <summary>
/// Sends the parts of one batch concurrently, bounded, so a split request answers within its deadline,
/// and combines their results into one answer. Once a part must be sent again the sender resends the
/// whole request, so no more parts are started.
/// </summary>
public static class PartBatch
{
    public static async ValueTask<SinkResult> DeliverAllAsync(
        IReadOnlyList<EncodedPart> parts,
        Func<EncodedPart, CancellationToken, ValueTask<SinkResult>> deliver,
        int concurrency,
        CancellationToken cancellationToken)
    {
        if (parts.Count == 1)
        {
            return await deliver(parts[0], cancellationToken);
        }

        using var batch = new State(parts.Count, concurrency);
        var sends = new Task[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            sends[i] = DeliverBoundedAsync(parts[i], i, batch, deliver, cancellationToken);
        }

        await Task.WhenAll(sends);
        return Combine(batch.Results);
    }

    /// <summary>
    /// One result that must be sent again makes the whole "retry later" (with the longest Retry-After);
    /// a result refused as invalid can never succeed, so it does not hold the others back.
    /// </summary>
    public static SinkResult Combine(IEnumerable<SinkResult> results)
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

    private static async Task DeliverBoundedAsync(EncodedPart part, int index, State batch, Func<EncodedPart, CancellationToken, ValueTask<SinkResult>> deliver, CancellationToken cancellationToken)
    {
        await batch.Slots.WaitAsync(cancellationToken);
        try
        {
            if (batch.Retry is { } retry)
            {
                batch.Results[index] = retry;
                return;
            }

            var result = await deliver(part, cancellationToken);
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

    private sealed class State(int parts, int concurrency) : IDisposable
    {
        public SinkResult[] Results { get; } = new SinkResult[parts];

        public SemaphoreSlim Slots { get; } = new(concurrency);

        public SinkResult? Retry { get; set; }

        public void Dispose() => Slots.Dispose();
    }
}
