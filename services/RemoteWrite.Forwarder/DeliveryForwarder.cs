using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Forwarder;

/// <summary>
/// Turns deliveries into Azure requests and says how to answer each: checks every body (never valid
/// → DROP, counted), drops what Azure would drop silently as too old or too far ahead (counted, and a
/// body left empty → DROP), merges the rest into requests of at most <c>RemoteWrite:MaxPartBytes</c>
/// (<see cref="RequestMerger"/>), and sends them with the shared <see cref="AzureMonitorSink"/>.
/// A group's deliveries share its outcome; a redelivered duplicate is harmless (Azure stores a
/// sample once).
/// </summary>
public sealed partial class DeliveryForwarder(
    AzureMonitorSink sink,
    IOptions<WriteLimits> limits,
    TimeProvider time,
    ForwarderMetrics metrics,
    InvalidDataReport invalid,
    ILogger<DeliveryForwarder> logger)
{
    private readonly WriteLimits _limits = limits.Value;

    public async Task<DeliveryStatus[]> ForwardAsync(IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken)
    {
        var statuses = new DeliveryStatus[deliveries.Count];
        var kept = new List<Checked>(deliveries.Count);
        try
        {
            for (var i = 0; i < deliveries.Count; i++)
            {
                statuses[i] = Check(deliveries[i], i, kept);
            }

            // Greedy groups by compressed size: merged, a group's body is about the sum of its parts.
            var group = new List<Checked>();
            long groupBytes = 0;
            foreach (var item in kept)
            {
                if (group.Count > 0 && groupBytes + item.CompressedLength > _limits.MaxPartBytes)
                {
                    await SendGroupAsync(group, statuses, cancellationToken);
                    group.Clear();
                    groupBytes = 0;
                }

                group.Add(item);
                groupBytes += item.CompressedLength;
            }

            if (group.Count > 0)
            {
                await SendGroupAsync(group, statuses, cancellationToken);
            }
        }
        finally
        {
            foreach (var item in kept)
            {
                item.Decoded.Dispose();
            }
        }

        foreach (var status in Enum.GetValues<DeliveryStatus>())
        {
            var count = statuses.Count(s => s == status);
            if (count > 0)
            {
                metrics.Answered(status, count);
            }
        }

        return statuses;
    }

    private DeliveryStatus Check(Delivery delivery, int index, List<Checked> kept)
    {
        PooledBuffer? decoded = null;
        try
        {
            decoded = SnappyCodec.Decode(delivery.Body.Span, _limits.MaxDecodedBytes);
            using var scanner = new WriteRequestScanner();
            scanner.Scan(decoded.Span);

            if (TimeWindowFilter.ApplyInPlace(ref decoded, scanner, _limits, time.GetUtcNow(), out var tooOld, out var tooNew))
            {
                Count(DropReason.TooOld, tooOld);
                Count(DropReason.TooNew, tooNew);
            }

            if (scanner.Summary.IsEmpty)
            {
                decoded.Dispose();
                return DeliveryStatus.Drop;
            }

            kept.Add(new Checked(index, decoded, delivery.Body.Length));
            decoded = null;
            return DeliveryStatus.Success; // provisional: the group's outcome replaces it
        }
        catch (RemoteWriteException e)
        {
            decoded?.Dispose();
            metrics.Dropped("invalid", 1);
            invalid.Add(e.Message);
            return DeliveryStatus.Drop;
        }
    }

    private async Task SendGroupAsync(List<Checked> group, DeliveryStatus[] statuses, CancellationToken cancellationToken)
    {
        var parts = new List<EncodedPart>();
        var bodies = group.ConvertAll(c => c.Decoded.Memory);
        var tooLarge = RequestMerger.Merge(bodies, _limits.MaxPartBytes, parts);
        if (tooLarge > 0)
        {
            metrics.Dropped(DropReason.TooLarge, tooLarge);
        }

        using var write = new PreparedWrite(RemoteWriteVersion.V1, ScanSummary.Empty, parts, new Dictionary<DropReason, DropCounts>(), false);
        var result = await sink.DeliverAsync(write, cancellationToken);
        var status = result.Status switch
        {
            SinkStatus.Delivered => DeliveryStatus.Success,
            SinkStatus.Rejected => DeliveryStatus.Drop,
            _ => DeliveryStatus.Retry,
        };
        if (status == DeliveryStatus.Drop)
        {
            invalid.Add("Azure Monitor refused the data: " + result.Message);
        }
        else if (status == DeliveryStatus.Success)
        {
            metrics.Batched(group.Count, parts.ConvertAll(p => p.Length));
        }
        else
        {
            LogRetry(logger, group.Count, result.Message);
        }

        foreach (var item in group)
        {
            statuses[item.Index] = status;
        }
    }

    private void Count(DropReason reason, DropCounts counts)
    {
        if (counts.Points > 0)
        {
            metrics.Dropped(reason, counts.Points);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} deliveries answered RETRY: {Reason}")]
    private static partial void LogRetry(ILogger logger, int count, string? reason);

    private sealed record Checked(int Index, PooledBuffer Decoded, int CompressedLength);
}
