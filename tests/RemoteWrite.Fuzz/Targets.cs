using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Conversion;
using RemoteWrite.Core.Errors;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Fuzz;

/// <summary>
/// One fuzz target per component of Core's request path, plus the whole path. Bad input must end in
/// <see cref="RemoteWriteException"/> (400/413/415); any other exception, or an output that breaks
/// an invariant checked here, is a crash AFL keeps.
/// </summary>
public static class Targets
{
    // Small limits: a snappy bomb or a huge declared length is refused at once, and splitting happens often.
    private const int MaxDecoded = 1 << 20;
    private const int CutAt = 1024;

    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_767_268_800_000);

    public static readonly IReadOnlyDictionary<string, Action<ReadOnlySpan<byte>>> All = new Dictionary<string, Action<ReadOnlySpan<byte>>>
    {
        // A snappy body, decoded.
        ["snappy"] = input => SnappyCodec.Decode(input, MaxDecoded).Dispose(),

        // A decoded 1.0 WriteRequest, scanned.
        ["scan"] = input =>
        {
            using var scanner = new WriteRequestScanner();
            scanner.Scan(input);
        },

        // A decoded 1.0 WriteRequest, scanned and cut into parts of at most 256 bytes.
        ["split"] = input =>
        {
            using var scanner = new WriteRequestScanner();
            var received = scanner.Scan(input);
            var parts = new List<EncodedPart>();
            try
            {
                var dropped = RequestSplitter.Split(input, scanner, 256, 0, parts);
                CheckParts(parts, 256, received, dropped);
            }
            finally
            {
                parts.ForEach(p => p.Dispose());
            }
        },

        // A decoded 2.0 Request, converted to 1.0; the result must be a 1.0 body the scanner accepts or refuses with a 4xx.
        ["convert"] = input =>
        {
            using var converted = V2ToV1Converter.Convert(input, MaxDecoded);
            using var scanner = new WriteRequestScanner();
            scanner.Scan(converted.Span);
        },

        // The receiver's whole path: first byte picks 1.0 or 2.0, the rest is the snappy body.
        ["prepare"] = input =>
        {
            if (input.IsEmpty)
            {
                return;
            }

            var contentType = (input[0] & 1) == 0 ? RemoteWriteHeaders.V1ContentType : RemoteWriteHeaders.V2ContentType;
            using var prepared = Pipeline.Preparer.Prepare(input[1..], contentType, "snappy");
            CheckParts(prepared.Parts, Pipeline.Preparer.CutAtBytes, null, 0);
        },
    };

    /// <summary>Runs <paramref name="target"/>; the product's own refusal of bad input is the expected outcome.</summary>
    public static void Guarded(Action<ReadOnlySpan<byte>> target, ReadOnlySpan<byte> input)
    {
        try
        {
            target(input);
        }
        catch (RemoteWriteException e) when (e.StatusCode is 400 or 413 or 415)
        {
        }
    }

    // Every part fits, is a valid 1.0 body holding what its summary says, and no data point is lost unaccounted.
    private static void CheckParts(IReadOnlyList<EncodedPart> parts, int max, ScanSummary? received, int dropped)
    {
        using var scanner = new WriteRequestScanner();
        long points = 0;
        foreach (var part in parts)
        {
            if (part.Length > max)
            {
                throw new InvalidOperationException($"a part of {part.Length} bytes exceeds the limit of {max}");
            }

            ScanSummary scanned;
            try
            {
                using var decoded = SnappyCodec.Decode(part.Compressed.Span, MaxDecoded * 4);
                scanned = scanner.Scan(decoded.Span);

                // The forwarder joins parts without decoding them (SnappyConcatenation): a part joined
                // with itself must decode to its bytes twice, or it would corrupt every batch it joins.
                using var joined = SnappyConcatenation.Join([part.Compressed, part.Compressed], [decoded.Length, decoded.Length]);
                using var twice = SnappyCodec.Decode(joined.Span, MaxDecoded * 8);
                if (!twice.Span.SequenceEqual([.. decoded.Span, .. decoded.Span]))
                {
                    throw new InvalidOperationException("a part joined with itself does not decode to itself twice");
                }
            }
            catch (RemoteWriteException e)
            {
                throw new InvalidOperationException("a part the product made is not a valid 1.0 body: " + e.Message, e);
            }

            if (scanned.Samples != part.Summary.Samples || scanned.Histograms != part.Summary.Histograms || scanned.Series != part.Summary.Series)
            {
                throw new InvalidOperationException($"a part holds {scanned} but says {part.Summary}");
            }

            points += scanned.Samples + scanned.Histograms;
        }

        if (received is { } r && points + dropped != r.Samples + r.Histograms)
        {
            throw new InvalidOperationException($"{r.Samples + r.Histograms} points received, {points} in parts, {dropped} dropped");
        }
    }

    // Built on first use: instrumented Core code must not run before the fuzzer has set up its coverage map.
    private static class Pipeline
    {
        public static readonly WriteRequestPreparer Preparer = new(
            new WriteLimits { MaxRequestBytes = 1 << 20, MaxDecodedBytes = MaxDecoded, MaxPartBytes = CutAt },
            new FixedTime(Now));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
