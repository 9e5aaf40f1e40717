using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Core.Scanning;
using RemoteWrite.Dapr;

namespace RemoteWrite.Forwarder.Delivering;

/// <summary>
/// Decides at send time what of one delivery goes to Azure (the hand-off contract, HandOff.cs):
/// from the ingress' facts alone when the whole message is inside the time window (sent as it came,
/// no decode) or outside it (dropped, counted); otherwise, or without facts, the body is decoded,
/// checked, filtered and cut. The window is the one <see cref="TimeWindowFilter"/> applies.
/// </summary>
public sealed class DeliveryAdmission(WriteLimits limits)
{
    /// <summary>What became of one delivery.</summary>
    public readonly record struct Verdict(bool Keep, DropReason? Reason, int DroppedPoints, DropCounts TooOld, DropCounts TooNew, int TooLarge, string? Invalid);

    /// <summary>Adds the delivery's blocks to <paramref name="blocks"/>; the verdict says whether anything is left to send.</summary>
    public Verdict Admit(int index, in Delivery delivery, long nowMs, List<SendableBlock> blocks)
    {
        var lower = nowMs - (long)limits.MaxSampleAge.TotalMilliseconds;
        var upper = nowMs + (long)limits.MaxFutureSkew.TotalMilliseconds;
        try
        {
            var body = delivery.Body;
            if (body.IsEmpty)
            {
                return Invalid("empty message");
            }

            var decodedLength = SnappyCodec.GetDecodedLength(body.Span, limits.MaxDecodedBytes);
            if (delivery.Facts is { } facts)
            {
                if (facts.Points > 0 && facts.MaxTimestampMs < lower)
                {
                    return Dropped(DropReason.TooOld, facts.Points);
                }

                if (facts.Points > 0 && facts.MinTimestampMs > upper)
                {
                    return Dropped(DropReason.TooNew, facts.Points);
                }

                var inside = facts.Points == 0 || (facts.MinTimestampMs >= lower && facts.MaxTimestampMs <= upper);
                if (inside && body.Length <= limits.MaxPartBytes)
                {
                    blocks.Add(new SendableBlock(index, body, decodedLength, new ScanSummary(0, facts.Samples, facts.Histograms, 0, 0, facts.MinTimestampMs, facts.MaxTimestampMs)));
                    return Kept(default, default, 0);
                }
            }

            return DecodeAndCut(index, body, lower, upper, blocks);
        }
        catch (RemoteWriteException e)
        {
            return Invalid(e.Message);
        }
    }

    // The slow path: a message that straddles the window, is over the request limit, or came without facts.
    private Verdict DecodeAndCut(int index, ReadOnlyMemory<byte> body, long lower, long upper, List<SendableBlock> blocks)
    {
        var decoded = SnappyCodec.Decode(body.Span, limits.MaxDecodedBytes);
        try
        {
            using var scanner = new WriteRequestScanner();
            scanner.Scan(decoded.Span);
            var filtered = TimeWindowFilter.Apply(decoded.Span, scanner, lower, upper, out var tooOld, out var tooNew);
            if (filtered is not null)
            {
                decoded.Dispose();
                decoded = filtered;
                scanner.Scan(decoded.Span);
            }

            if (scanner.Summary.IsEmpty)
            {
                return new Verdict(false, null, 0, tooOld, tooNew, 0, null);
            }

            if (filtered is null && body.Length <= limits.MaxPartBytes)
            {
                blocks.Add(new SendableBlock(index, body, decoded.Length, scanner.Summary));
                return Kept(tooOld, tooNew, 0);
            }

            var parts = new List<EncodedPart>(2);
            var tooLarge = RequestSplitter.Split(decoded.Span, scanner, limits.MaxPartBytes, filtered is null ? body.Length : 0, parts);
            foreach (var part in parts)
            {
                // The part owns its pooled bytes; the block carries it to the batch, which disposes it.
                blocks.Add(new SendableBlock(index, part.Compressed, SnappyCodec.GetDecodedLength(part.Compressed.Span, int.MaxValue), part.Summary, part));
            }

            return parts.Count == 0 ? new Verdict(false, null, 0, tooOld, tooNew, tooLarge, null) : Kept(tooOld, tooNew, tooLarge);
        }
        finally
        {
            decoded.Dispose();
        }
    }

    private static Verdict Kept(DropCounts tooOld, DropCounts tooNew, int tooLarge) => new(true, null, 0, tooOld, tooNew, tooLarge, null);

    private static Verdict Dropped(DropReason reason, int points) => new(false, reason, points, default, default, 0, null);

    private static Verdict Invalid(string message) => new(false, null, 0, default, default, 0, message);
}
