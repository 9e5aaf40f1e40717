using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Azure.Status;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Forwarder.Delivering;

/// <summary>
/// Turns one delivery from the sidecar (a bulk or a single message) into Azure requests and says how
/// to answer each entry: admits every message (<see cref="DeliveryAdmission"/>: time window from the
/// ingress' facts, drops counted), packs the blocks into requests close to the limit
/// (<see cref="BlockPacker"/>), joins each request's blocks without decoding
/// (<see cref="SnappyConcatenation"/>; a lone block goes as it came), and sends the requests
/// concurrently, bounded, within a deadline below the sidecar's delivery timeout. Each entry gets its
/// own requests' outcome: an entry Azure accepted is never delivered again because another failed;
/// a request not sent by the deadline answers RETRY and the sidecar redelivers only its entries.
/// </summary>
public sealed class DeliveryForwarder(
    AzureMonitorSink sink,
    IOptions<WriteLimits> limits,
    IOptions<ForwarderOptions> options,
    IOptions<AzureMonitorOptions> azure,
    TimeProvider time,
    ForwarderMetrics metrics,
    PublishStatistics statistics,
    IngestionStatus status,
    InvalidDataReport invalid)
{
    private readonly WriteLimits _limits = limits.Value;
    private readonly ForwarderOptions _options = options.Value;
    private readonly DeliveryAdmission _admission = new(limits.Value);

    public async Task<DeliveryStatus[]> ForwardAsync(IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken)
    {
        var statuses = new DeliveryStatus[deliveries.Count];
        var blocks = new List<SendableBlock>(deliveries.Count);
        try
        {
            var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            for (var i = 0; i < deliveries.Count; i++)
            {
                var verdict = _admission.Admit(i, deliveries[i], nowMs, blocks);
                Count(verdict);
                statuses[i] = verdict.Keep ? DeliveryStatus.Success : DeliveryStatus.Drop; // Success is provisional
            }

            // What came in: the admitted blocks' points and what admission dropped (counted in Count).
            long received = 0;
            foreach (var block in blocks)
            {
                received += block.Summary.Points;
            }

            status.Received.Add(received);

            var groups = BlockPacker.Pack(blocks, _limits.MaxPartBytes);
            await SendAllAsync(groups, statuses, cancellationToken);
        }
        finally
        {
            foreach (var block in blocks)
            {
                block.Owned?.Dispose();
            }
        }

        Report(statuses);
        return statuses;
    }

    private async Task SendAllAsync(List<List<SendableBlock>> groups, DeliveryStatus[] statuses, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            return;
        }

        using var timer = new CancellationTokenSource(_options.DeliveryDeadline, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        using var slots = new SemaphoreSlim(azure.Value.MaxConcurrentSendsPerBatch);
        var outcomes = new SinkStatus[groups.Count];
        var sends = new Task[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            sends[g] = SendGroupAsync(groups[g], g, outcomes, slots, deadline.Token);
        }

        await Task.WhenAll(sends);
        for (var g = 0; g < groups.Count; g++)
        {
            foreach (var block in groups[g])
            {
                ref var status = ref statuses[block.DeliveryIndex];
                status = outcomes[g] switch
                {
                    SinkStatus.RetryLater => DeliveryStatus.Retry,
                    SinkStatus.Rejected when status != DeliveryStatus.Retry => DeliveryStatus.Drop,
                    _ => status,
                };
            }
        }
    }

    private async Task SendGroupAsync(List<SendableBlock> group, int index, SinkStatus[] outcomes, SemaphoreSlim slots, CancellationToken deadline)
    {
        outcomes[index] = SinkStatus.RetryLater;
        try
        {
            await slots.WaitAsync(deadline);
        }
        catch (OperationCanceledException)
        {
            return; // out of time before it could start: RETRY, the sidecar redelivers these entries only
        }

        try
        {
            var result = await SendAsync(group, deadline);
            if (result.Status == SinkStatus.Rejected)
            {
                // One bad message must not take others with it: send each alone to find it.
                result = group.Count > 1 ? await SendEachAloneAsync(group, deadline) : Rejected(result, group[0]);
            }

            outcomes[index] = result.Status;
        }
        catch (OperationCanceledException)
        {
            // The deadline passed mid-send: RETRY.
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<SinkResult> SendAsync(List<SendableBlock> group, CancellationToken cancellationToken)
    {
        using var part = group.Count == 1 ? new EncodedPart(group[0].Body, group[0].Summary) : Join(group);
        var result = await sink.DeliverPartAsync(part, cancellationToken);
        if (result.Status == SinkStatus.Delivered)
        {
            metrics.Batched(group.Count, part.Length);
        }

        return result;
    }

    private SinkResult Rejected(SinkResult result, SendableBlock block)
    {
        invalid.Add("Azure Monitor refused the data: " + result.Message);
        metrics.Dropped(DropReason.Rejected, block.Summary.Points);
        statistics.RecordDropped(block.Summary.Points);
        return result;
    }

    private async Task<SinkResult> SendEachAloneAsync(List<SendableBlock> group, CancellationToken cancellationToken)
    {
        var worst = SinkResult.Delivered;
        foreach (var block in group)
        {
            var result = await SendAsync([block], cancellationToken);
            if (result.Status == SinkStatus.RetryLater)
            {
                return result;
            }

            if (result.Status == SinkStatus.Rejected)
            {
                worst = Rejected(result, block);
            }
        }

        return worst;
    }

    private static EncodedPart Join(List<SendableBlock> group)
    {
        var bodies = new ReadOnlyMemory<byte>[group.Count];
        var lengths = new int[group.Count];
        int samples = 0, histograms = 0;
        long min = long.MaxValue, max = long.MinValue;
        for (var i = 0; i < group.Count; i++)
        {
            var block = group[i];
            bodies[i] = block.Body;
            lengths[i] = block.DecodedLength;
            samples += block.Summary.Samples;
            histograms += block.Summary.Histograms;
            min = Math.Min(min, block.Summary.MinTimestamp);
            max = Math.Max(max, block.Summary.MaxTimestamp);
        }

        return new EncodedPart(SnappyConcatenation.Join(bodies, lengths), new ScanSummary(0, samples, histograms, 0, 0, min, max));
    }

    private void Count(DeliveryAdmission.Verdict verdict)
    {
        if (verdict.Reason is { } reason)
        {
            metrics.Dropped(reason, verdict.DroppedPoints);
            statistics.RecordDropped(verdict.DroppedPoints);
            status.RecordDropped(reason, verdict.DroppedPoints);
            status.Received.Add(verdict.DroppedPoints);
        }

        Count(DropReason.TooOld, verdict.TooOld.Points);
        Count(DropReason.TooNew, verdict.TooNew.Points);
        Count(DropReason.TooLarge, verdict.TooLarge);
        if (verdict.Invalid is { } message)
        {
            metrics.DroppedInvalid();
            invalid.Add(message);
        }
    }

    private void Count(DropReason reason, int points)
    {
        if (points > 0)
        {
            metrics.Dropped(reason, points);
            statistics.RecordDropped(points);
            status.RecordDropped(reason, points);
            status.Received.Add(points);
        }
    }

    private void Report(DeliveryStatus[] statuses)
    {
        int success = 0, retry = 0, drop = 0;
        foreach (var entry in statuses)
        {
            switch (entry)
            {
                case DeliveryStatus.Success: success++; break;
                case DeliveryStatus.Retry: retry++; break;
                default: drop++; break;
            }
        }

        metrics.Answered(success, retry, drop);
        if (retry > 0)
        {
            statistics.RecordRetried(retry);
        }
    }
}
