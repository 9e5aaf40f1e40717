using System.Globalization;
using System.Text;
using Snappier;

namespace RemoteWrite.Testing.Malformed;

/// <summary>
/// Deterministic bad remote-write bodies (issue 10): valid 1.0 and 2.0 bodies, written with the tests'
/// own <see cref="ProtoBytes"/> and compressed with Snappier directly (not Core's encoder), each broken
/// in one way. Body <c>i</c> comes from <c>Random(seed, i)</c> alone, so any one can be made again from
/// the seed and index a failure prints. Expected statuses follow CONTRACT §1: 415 for headers that name
/// another encoding, type or message; 413 for a body that declares more than the decoded limit; 400
/// for data that can never be valid.
/// </summary>
public sealed class MalformedBodies(int seed, long nowMs)
{
    public const string V1ContentType = "application/x-protobuf";
    public const string V2ContentType = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

    public static readonly string[] Categories =
    [
        "empty", "truncated", "random-bytes", "snappy-bomb", "varint-overflow",
        "wrong-wire-type", "invalid-utf8", "v2-bad-symbol-ref", "huge-label-count", "wrong-headers",
    ];

    private static readonly int[] Bad = [400];
    private static readonly int[] TooLarge = [413];
    private static readonly int[] Unsupported = [415];

    // Over the receivers' default 32 MiB decoded limit (Core's SnappyCodec.DefaultMaxDecodedBytes, as Prometheus).
    private const int DecodedLimit = 32 * 1024 * 1024;

    // 40 MiB of zeros, snappy-compressed once (about 2 MB): a real bomb.
    private static readonly Lazy<byte[]> RealBomb = new(() => Snappy.CompressToArray(new byte[40 * 1024 * 1024]));

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC3, 0x28], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80],
    ];

    public int Seed => seed;

    /// <summary>Body <paramref name="index"/>: category <c>index % 10</c>.</summary>
    public MalformedBody Get(int index)
    {
        // Not HashCode.Combine: it is randomized per process, and a printed seed must reproduce the body.
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var category = Categories[index % Categories.Length];
        var (variant, body, contentType, encoding, version, expected) = category switch
        {
            "empty" => Empty(random),
            "truncated" => Truncated(random),
            "random-bytes" => RandomBytes(random),
            "snappy-bomb" => SnappyBomb(random),
            "varint-overflow" => VarintOverflow(random),
            "wrong-wire-type" => WrongWireType(random),
            "invalid-utf8" => InvalidUtf8Label(random),
            "v2-bad-symbol-ref" => V2BadSymbolRef(random),
            "huge-label-count" => HugeLabelCount(random),
            _ => WrongHeaders(random),
        };
        return new MalformedBody(index, category, variant, body, contentType, encoding, version, expected);
    }

    /// <summary>Valid bodies a receiver must accept but that look odd (reported, not counted as bad).</summary>
    public IEnumerable<MalformedBody> Probes(int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var v1 = V1(random, out _);
            yield return new MalformedBody(-1, "probe", "valid-1.0-unknown-version-header", Snappy.CompressToArray(v1), V1ContentType, "snappy", "9.9.9", [200, 204]);
            var labels = random.Next(100, 2000);
            var huge = new ProtoBytes().MessageField(1, Series(random, Enumerable.Range(0, labels).Select(l => ($"l{l:D5}", "v")).Prepend(("__name__", "huge")), random.Next(1, 3)));
            yield return new MalformedBody(-1, "probe", $"valid-{labels}-labels", Snappy.CompressToArray(huge.ToArray()), V1ContentType, "snappy", "0.1.0", [200, 204]);
        }
    }

    private Case Empty(Random random) => random.Next(3) switch
    {
        0 => new("1.0", [], V1ContentType, "snappy", "0.1.0", Bad),
        1 => new("2.0", [], V2ContentType, "snappy", "2.0.0", Bad),
        _ => new("no-headers", [], null, null, null, Bad),
    };

    private Case Truncated(Random random)
    {
        var v2 = random.Next(2) == 1;
        var decoded = v2 ? V2(random, out var ends) : V1(random, out ends);
        if (random.Next(2) == 0)
        {
            var compressed = Snappy.CompressToArray(decoded);
            return Versioned(v2, "snappy-stream", compressed[..random.Next(1, compressed.Length)], Bad);
        }

        // Cut strictly inside one top-level field, so what is left cannot be a shorter valid message.
        var field = random.Next(ends.Count);
        var start = field == 0 ? 0 : ends[field - 1];
        var cut = random.Next(start + 1, ends[field]);
        return Versioned(v2, "protobuf-field", Snappy.CompressToArray(decoded.AsSpan(0, cut)), Bad);
    }

    private static Case RandomBytes(Random random)
    {
        while (true)
        {
            var body = new byte[random.Next(1, 2049)];
            random.NextBytes(body);
            if (body[0] == 0 || IsValidSnappy(body, out var declared))
            {
                continue; // a zero-length header or a stream that happens to decode is not a bad body
            }

            // A header that reads as a length past the limit is refused as too large before any decoding.
            int[] expected = declared is > DecodedLimit and <= uint.MaxValue ? [400, 413] : Bad;
            return random.Next(2) == 0
                ? new("1.0", body, V1ContentType, "snappy", "0.1.0", expected)
                : new("2.0", body, V2ContentType, "snappy", "2.0.0", expected);
        }
    }

    private Case SnappyBomb(Random random)
    {
        var v2 = random.Next(2) == 1;
        switch (random.Next(20))
        {
            case 0:
                return Versioned(v2, "real-40MiB-of-zeros", RealBomb.Value, TooLarge);
            case < 8:
            {
                var declared = (ulong)random.NextInt64(DecodedLimit + 1L, uint.MaxValue + 1L);
                var tail = new byte[random.Next(1, 65)];
                random.NextBytes(tail);
                return Versioned(v2, "declared-over-limit", [.. new ProtoBytes().RawVarint(declared).ToArray(), .. tail], TooLarge);
            }

            case < 10:
                // Five header bytes that decode past uint32: not a snappy header at all.
                return Versioned(v2, "header-past-uint32", [0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00], Bad);
            default:
            {
                // A header that lies about the decoded length, either way.
                var decoded = v2 ? V2(random, out _) : V1(random, out _);
                var compressed = Snappy.CompressToArray(decoded);
                var headerLength = new ProtoBytes().RawVarint((ulong)decoded.Length).Length;
                var lie = random.Next(2) == 0 ? random.Next(0, decoded.Length) : decoded.Length + random.Next(1, 100_000);
                return Versioned(v2, "lying-header", [.. new ProtoBytes().RawVarint((ulong)lie).ToArray(), .. compressed.AsSpan(headerLength)], Bad);
            }
        }
    }

    private Case VarintOverflow(Random random)
    {
        // Eleven continuation bytes, or ten whose last carries bits past 64.
        byte[] overlong = random.Next(2) == 0 ? [.. Enumerable.Repeat((byte)0xFF, 10), 0x01] : [.. Enumerable.Repeat((byte)0xFF, 9), (byte)random.Next(2, 0x80)];
        var v2 = random.Next(2) == 1;
        var prefix = v2 ? V2(random, out _) : V1(random, out _);
        switch (random.Next(4))
        {
            case 0:
                return Versioned(v2, "tag", Snappy.CompressToArray([.. prefix, .. overlong]), Bad);
            case 1:
                return Versioned(v2, "length", Snappy.CompressToArray([.. prefix, (byte)(v2 ? 0x2A : 0x0A), .. overlong]), Bad);
            case 2 when !v2:
            {
                // Sample.timestamp (field 2, varint) overlong.
                var sample = new ProtoBytes().DoubleField(1, 1).Tag(2, ProtoBytes.Varint).Raw(overlong);
                var series = Series(random, [("__name__", "m"), ("job", "j")], 0).MessageField(2, sample);
                return Versioned(v2, "sample-timestamp", Snappy.CompressToArray([.. prefix, .. new ProtoBytes().MessageField(1, series).ToArray()]), Bad);
            }

            default:
            {
                // 2.0 labels_refs holding an overlong varint, or a ref past uint32.
                var refs = new ProtoBytes().RawVarint(1).Raw(random.Next(2) == 0 ? overlong : new ProtoBytes().RawVarint(1UL << 40).ToArray());
                var series = new ProtoBytes().BytesField(1, refs.ToArray()).MessageField(2, ProtoBytes.Sample(1, nowMs));
                var request = new ProtoBytes().StringField(4, "").StringField(4, "__name__").StringField(4, "m").MessageField(5, series);
                return Versioned(true, "v2-labels-ref", Snappy.CompressToArray(request.ToArray()), Bad);
            }
        }
    }

    private Case WrongWireType(Random random)
    {
        // A known field with a well-formed value of another wire type; or a group / reserved wire type.
        var now = nowMs;
        ProtoBytes Wrong(int field, int expectedWireType)
        {
            var p = new ProtoBytes();
            var wireType = new[] { ProtoBytes.Varint, ProtoBytes.Fixed64, ProtoBytes.LengthDelimited, ProtoBytes.Fixed32 }.Where(w => w != expectedWireType).ElementAt(random.Next(3));
            p.Tag(field, wireType);
            return wireType switch
            {
                ProtoBytes.Varint => p.RawVarint((ulong)random.Next(1, 1000)),
                ProtoBytes.Fixed64 => p.Raw(new byte[8]),
                ProtoBytes.Fixed32 => p.Raw(new byte[4]),
                _ => p.RawVarint(2).Raw("ab"u8),
            };
        }

        var label = ProtoBytes.Label("__name__", "m");
        var sample = ProtoBytes.Sample(1, now);
        var valid = V1(random, out _);
        (string Variant, byte[] Decoded) chosen = random.Next(8) switch
        {
            0 => ("WriteRequest.timeseries", Wrong(1, ProtoBytes.LengthDelimited).ToArray()),
            1 => ("WriteRequest.metadata", Wrong(3, ProtoBytes.LengthDelimited).ToArray()),
            2 => ("TimeSeries.labels", new ProtoBytes().MessageField(1, new ProtoBytes().MessageField(1, label).Raw(Wrong(1, ProtoBytes.LengthDelimited).ToArray()).MessageField(2, sample)).ToArray()),
            3 => ("TimeSeries.samples", new ProtoBytes().MessageField(1, new ProtoBytes().MessageField(1, label).Raw(Wrong(2, ProtoBytes.LengthDelimited).ToArray())).ToArray()),
            4 => ("Label.name", new ProtoBytes().MessageField(1, new ProtoBytes().MessageField(1, label).MessageField(1, Wrong(1, ProtoBytes.LengthDelimited).StringField(2, "v")).MessageField(2, sample)).ToArray()),
            5 => ("Sample.value", new ProtoBytes().MessageField(1, new ProtoBytes().MessageField(1, label).MessageField(2, Wrong(1, ProtoBytes.Fixed64).VarintField(2, (ulong)now))).ToArray()),
            6 => ("Sample.timestamp", new ProtoBytes().MessageField(1, new ProtoBytes().MessageField(1, label).MessageField(2, new ProtoBytes().DoubleField(1, 1).Raw(Wrong(2, ProtoBytes.Varint).ToArray()))).ToArray()),
            _ => ("group-or-reserved-wire-type", new ProtoBytes().Tag(random.Next(1, 20), new[] { 3, 4, 6, 7 }[random.Next(4)]).RawVarint(0).ToArray()),
        };
        return new(chosen.Variant, Snappy.CompressToArray([.. valid, .. chosen.Decoded]), V1ContentType, "snappy", "0.1.0", Bad);
    }

    private Case InvalidUtf8Label(Random random)
    {
        var bad = InvalidUtf8[random.Next(InvalidUtf8.Length)];
        byte[] text = [.. "x"u8, .. bad, .. "y"u8];
        var valid = V1(random, out _);
        switch (random.Next(3))
        {
            case 0:
            {
                var series = new ProtoBytes().MessageField(1, ProtoBytes.Label("__name__", "m")).MessageField(1, ProtoBytes.Label("job"u8, text)).MessageField(2, ProtoBytes.Sample(1, nowMs));
                return new("1.0-value", Snappy.CompressToArray([.. valid, .. new ProtoBytes().MessageField(1, series).ToArray()]), V1ContentType, "snappy", "0.1.0", Bad);
            }

            case 1:
            {
                var series = new ProtoBytes().MessageField(1, ProtoBytes.Label("__name__", "m")).MessageField(1, ProtoBytes.Label([.. "zz"u8, .. text], "v"u8)).MessageField(2, ProtoBytes.Sample(1, nowMs));
                return new("1.0-name", Snappy.CompressToArray([.. valid, .. new ProtoBytes().MessageField(1, series).ToArray()]), V1ContentType, "snappy", "0.1.0", Bad);
            }

            default:
            {
                // A 2.0 symbol (referenced as a label value) that is not UTF-8.
                var series = new ProtoBytes().BytesField(1, ProtoBytes.Packed([1, 2, 3, 4])).MessageField(2, ProtoBytes.Sample(1, nowMs));
                var request = new ProtoBytes().StringField(4, "").StringField(4, "__name__").StringField(4, "m").StringField(4, "job").BytesField(4, text).MessageField(5, series);
                return new("2.0-symbol", Snappy.CompressToArray(request.ToArray()), V2ContentType, "snappy", "2.0.0", Bad);
            }
        }
    }

    private Case V2BadSymbolRef(Random random)
    {
        string[] symbols = ["", "__name__", "m", "job", "j", "help"];
        var past = (uint)(symbols.Length + random.Next(0, 1000));
        if (random.Next(10) == 0)
        {
            past = uint.MaxValue;
        }

        var sample = ProtoBytes.Sample(1, nowMs);
        var (variant, series, symbolsToWrite) = random.Next(7) switch
        {
            0 => ("label-ref-past-end", new ProtoBytes().BytesField(1, ProtoBytes.Packed([1, 2, 3, past])).MessageField(2, sample), symbols),
            1 => ("name-ref-past-end", new ProtoBytes().BytesField(1, ProtoBytes.Packed([1, 2, past, 4])).MessageField(2, sample), symbols),
            2 => ("odd-refs", new ProtoBytes().BytesField(1, ProtoBytes.Packed([1, 2, 3])).MessageField(2, sample), symbols),
            3 => ("symbols0-not-empty", new ProtoBytes().BytesField(1, ProtoBytes.Packed([1, 2])).MessageField(2, sample), ["x", .. symbols[1..]]),
            4 => ("help-ref-past-end", new ProtoBytes().BytesField(1, ProtoBytes.Packed([1, 2])).MessageField(2, sample).MessageField(5, new ProtoBytes().VarintField(1, 2).VarintField(3, past)), symbols),
            5 => ("unit-ref-past-end", new ProtoBytes().BytesField(1, ProtoBytes.Packed([1, 2])).MessageField(2, sample).MessageField(5, new ProtoBytes().VarintField(1, 2).VarintField(4, past)), symbols),
            _ => ("empty-name-ref", new ProtoBytes().BytesField(1, ProtoBytes.Packed([1, 2, 0, 4])).MessageField(2, sample), symbols),
        };
        var request = new ProtoBytes();
        foreach (var s in symbolsToWrite)
        {
            request.StringField(4, s);
        }

        // Valid series first, so the bad one is not the only thing the converter sees.
        for (var i = random.Next(0, 4); i > 0; i--)
        {
            request.MessageField(5, new ProtoBytes().BytesField(1, ProtoBytes.Packed([1, 2, 3, 4])).MessageField(2, sample));
        }

        request.MessageField(5, series);
        return new(variant, Snappy.CompressToArray(request.ToArray()), V2ContentType, "snappy", "2.0.0", Bad);
    }

    private Case HugeLabelCount(Random random)
    {
        // Thousands of valid, sorted labels and one defect a receiver only finds after reading them all.
        var count = random.Next(1_000, 10_001);
        var labels = Enumerable.Range(0, count).Select(i => ($"l{i:D5}", $"v{random.Next(1000)}")).ToList();
        var variant = random.Next(4);
        if (variant == 3)
        {
            var symbols = new ProtoBytes().StringField(4, "").StringField(4, "__name__").StringField(4, "m");
            var refs = new List<uint> { 1, 2 };
            for (var i = 0; i < count; i++)
            {
                symbols.StringField(4, labels[i].Item1);
                refs.AddRange([(uint)(3 + i), 2]);
            }

            refs[^1] = (uint)(3 + count + random.Next(1, 100));
            var request = symbols.MessageField(5, new ProtoBytes().BytesField(1, ProtoBytes.Packed(refs)).MessageField(2, ProtoBytes.Sample(1, nowMs)));
            return new($"2.0-{count}-labels-last-ref-past-end", Snappy.CompressToArray(request.ToArray()), V2ContentType, "snappy", "2.0.0", Bad);
        }

        var series = new ProtoBytes();
        if (variant != 0)
        {
            series.MessageField(1, ProtoBytes.Label("__name__", "m"));
        }

        foreach (var (name, value) in labels)
        {
            series.MessageField(1, ProtoBytes.Label(name, value));
        }

        if (variant == 1)
        {
            series.MessageField(1, ProtoBytes.Label(labels[^1].Item1, "again"));
        }
        else if (variant == 2)
        {
            series.MessageField(1, ProtoBytes.Label("zzz"u8, [0xC3, 0x28]));
        }

        series.MessageField(2, ProtoBytes.Sample(1, nowMs));
        var defect = variant switch { 0 => "no-name", 1 => "duplicate-last", _ => "invalid-utf8-last" };
        return new($"1.0-{count}-labels-{defect}", Snappy.CompressToArray(new ProtoBytes().MessageField(1, series).ToArray()), V1ContentType, "snappy", "0.1.0", Bad);
    }

    private Case WrongHeaders(Random random)
    {
        var v2 = random.Next(2) == 1;
        var body = Snappy.CompressToArray(v2 ? V2(random, out _) : V1(random, out _));
        var (contentType, version) = v2 ? (V2ContentType, "2.0.0") : (V1ContentType, "0.1.0");
        if (random.Next(2) == 0)
        {
            var encoding = new[] { "gzip", "deflate", "br", "zstd", "identity", "snappy-framed", "x-snappy" }[random.Next(7)];
            return new($"Content-Encoding: {encoding}", body, contentType, encoding, version, Unsupported);
        }

        var type = new[]
        {
            "application/json", "text/plain", "application/octet-stream", "application/protobuf", "multipart/form-data; boundary=x",
            "application/x-protobuf;proto=io.prometheus.write.v3.Request", "application/x-protobuf;proto=prometheus.ReadRequest",
        }[random.Next(7)];
        return new($"Content-Type: {type}", body, type, "snappy", version, Unsupported);
    }

    private static Case Versioned(bool v2, string variant, byte[] body, int[] expected) =>
        v2 ? new($"2.0-{variant}", body, V2ContentType, "snappy", "2.0.0", expected) : new($"1.0-{variant}", body, V1ContentType, "snappy", "0.1.0", expected);

    /// <summary>A valid decoded 1.0 WriteRequest; <paramref name="ends"/> are the end offsets of its top-level fields.</summary>
    private byte[] V1(Random random, out List<int> ends)
    {
        var request = new ProtoBytes();
        ends = [];
        for (var s = random.Next(1, 9); s > 0; s--)
        {
            var metric = $"metric_{random.Next(100)}";
            request.MessageField(1, Series(random, [("__name__", metric), ("instance", $"host-{random.Next(1000):D4}:9100"), ("job", "node")], random.Next(1, 5)));
            ends.Add(request.Length);
        }

        if (random.Next(3) == 0)
        {
            request.MessageField(3, new ProtoBytes().VarintField(1, 2).StringField(2, "metric_1").StringField(4, "help text"));
            ends.Add(request.Length);
        }

        return request.ToArray();
    }

    /// <summary>A valid decoded 2.0 Request; <paramref name="ends"/> are the end offsets of its top-level fields.</summary>
    private byte[] V2(Random random, out List<int> ends)
    {
        var request = new ProtoBytes();
        ends = [];
        string[] symbols = ["", "__name__", "instance", "job", "node", "help text", .. Enumerable.Range(0, 8).Select(i => $"metric_{random.Next(100)}"), .. Enumerable.Range(0, 8).Select(i => $"host-{i}:9100")];
        foreach (var symbol in symbols)
        {
            request.StringField(4, symbol);
            ends.Add(request.Length);
        }

        for (var s = random.Next(1, 9); s > 0; s--)
        {
            var series = new ProtoBytes().BytesField(1, ProtoBytes.Packed([1, (uint)random.Next(6, 14), 2, (uint)random.Next(14, 22), 3, 4]));
            for (var i = random.Next(1, 5); i > 0; i--)
            {
                series.MessageField(2, ProtoBytes.Sample(random.NextDouble() * 100, nowMs - i * 15_000));
            }

            if (random.Next(3) == 0)
            {
                series.MessageField(5, new ProtoBytes().VarintField(1, 1).VarintField(3, 5));
            }

            request.MessageField(5, series);
            ends.Add(request.Length);
        }

        return request.ToArray();
    }

    private ProtoBytes Series(Random random, IEnumerable<(string Name, string Value)> labels, int samples)
    {
        var series = new ProtoBytes();
        foreach (var (name, value) in labels)
        {
            series.MessageField(1, ProtoBytes.Label(name, value));
        }

        for (var i = samples; i > 0; i--)
        {
            series.MessageField(2, ProtoBytes.Sample(random.NextDouble() * 100, nowMs - i * 15_000));
        }

        return series;
    }

    // Whether Snappier decodes the whole body to its declared length; the declared length either way.
    private static bool IsValidSnappy(byte[] body, out ulong declared)
    {
        declared = 0;
        for (var i = 0; i < 5 && i < body.Length; i++)
        {
            declared |= (ulong)(body[i] & 0x7F) << (7 * i);
            if (body[i] < 0x80)
            {
                break;
            }
        }

        if (declared > 1 << 20)
        {
            return false;
        }

        try
        {
            var output = new byte[declared];
            return Snappy.Decompress(body, output) == (int)declared;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private readonly record struct Case(string Variant, byte[] Body, string? ContentType, string? Encoding, string? Version, int[] Expected);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"MalformedBodies(seed {seed})");
}
