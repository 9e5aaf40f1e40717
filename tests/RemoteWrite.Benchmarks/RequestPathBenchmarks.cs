using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Benchmarks;

/// <summary>
/// The request path as the relay runs it, beside its floor (issue 11): a fresh request each time,
/// the body in a pooled buffer as <c>RequestBodyReader</c> leaves it, one <c>Prepare</c> with the
/// production limits (label limits, the time window at the data's time, cut at Azure's 1 MB), and
/// the parts released once sent. The floor is one snappy decode plus one validating scan. Divide the
/// mean by 2,000 for the cost per sample (one sample per series).
/// </summary>
[MemoryDiagnoser]
public class RequestPathBenchmarks
{
    private byte[] _v1 = [];
    private byte[] _v2 = [];
    private readonly WriteRequestScanner _scanner = new();
    private WriteRequestPreparer _preparer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var v1 = KubernetesScrape.V1();
        _v1 = SnappyCodec.EncodeToArray(v1.ToByteArray());
        _v2 = SnappyCodec.EncodeToArray(KubernetesScrape.V2().ToByteArray());

        // The clock at the data's time, so the window keeps every sample, as in production.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(v1.Timeseries[0].Samples[0].Timestamp);
        _preparer = new WriteRequestPreparer(new WriteLimits(), new FixedTime(now));
    }

    [Benchmark(Baseline = true, Description = "floor: decode+scan, 1.0 (2,000 samples)")]
    public int Floor()
    {
        using var decoded = SnappyCodec.Decode(_v1);
        return _scanner.Scan(decoded.Span).Samples;
    }

    [Benchmark(Description = "request path, 1.0 in: read body, prepare, release parts (2,000 samples)")]
    public int PathV1() => Path(_v1, RemoteWriteHeaders.V1ContentType);

    [Benchmark(Description = "request path, 2.0 in: read body, prepare, release parts (2,000 samples)")]
    public int PathV2() => Path(_v2, RemoteWriteHeaders.V2ContentType);

    private int Path(byte[] received, string contentType)
    {
        // What RequestBodyReader hands the endpoint: the body in a pooled buffer.
        var body = PooledBuffer.CopyOf(received);
        using var prepared = _preparer.Prepare(body, contentType, "snappy");
        return prepared.Accepted.Samples;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
