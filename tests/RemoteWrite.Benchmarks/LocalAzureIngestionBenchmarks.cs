using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using RemoteWrite.Core.Codec;
using RemoteWrite.LocalAzure.Ingestion;

namespace RemoteWrite.Benchmarks;

/// <summary>
/// The local Azure stand-in's counting path (snappy decode, walk, store) on the same 2,000-series
/// request: it must cost less per sample than the relays measured against it.
/// </summary>
[MemoryDiagnoser]
public class LocalAzureIngestionBenchmarks
{
    private byte[] _compressed = [];
    private long _now;
    private readonly SeriesStore _store = new();

    [GlobalSetup]
    public void Setup()
    {
        var request = KubernetesScrape.V1();
        _now = request.Timeseries[0].Samples[0].Timestamp;
        _compressed = SnappyCodec.EncodeToArray(request.ToByteArray());
        using var decoded = SnappyCodec.Decode(_compressed);
        WriteRequestWalker.Walk(decoded.Span, _now, 20 * 60 * 1000, _store); // series known, as in steady state
    }

    [Benchmark(Description = "stand-in: decode+walk, labels checked and case-folded (first sight, 2,000 samples)")]
    public long DecodeWalk()
    {
        using var decoded = SnappyCodec.Decode(_compressed);
        return WriteRequestWalker.Walk(decoded.Span, _now, 20 * 60 * 1000, null).Samples;
    }

    [Benchmark(Description = "stand-in: decode+walk+store, known series (2,000 samples)")]
    public long DecodeWalkStore()
    {
        using var decoded = SnappyCodec.Decode(_compressed);
        return WriteRequestWalker.Walk(decoded.Span, _now, 20 * 60 * 1000, _store).Samples;
    }
}
