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
    // The stand-in's own decoder (Snappier + its prompb copy), as its ingestion endpoint runs it.
    private const int MaxDecoded = 32 * 1024 * 1024;
    private byte[] _compressed = [];
    private long _now;
    private readonly SeriesStore _store = new();

    [GlobalSetup]
    public void Setup()
    {
        var request = KubernetesScrape.V1();
        _now = request.Timeseries[0].Samples[0].Timestamp;
        _compressed = SnappyCodec.EncodeToArray(request.ToByteArray());
        WriteRequestWalker.Walk(IngestionDecoder.Decode(_compressed, MaxDecoded), _now, 20 * 60 * 1000, _store); // series known, as in steady state
    }

    [Benchmark(Description = "stand-in: decode+walk, labels checked and case-folded (first sight, 2,000 samples)")]
    public long DecodeWalk()
    {
        return WriteRequestWalker.Walk(IngestionDecoder.Decode(_compressed, MaxDecoded), _now, 20 * 60 * 1000, null).Samples;
    }

    [Benchmark(Description = "stand-in: decode+walk+store, known series (2,000 samples)")]
    public long DecodeWalkStore()
    {
        return WriteRequestWalker.Walk(IngestionDecoder.Decode(_compressed, MaxDecoded), _now, 20 * 60 * 1000, _store).Samples;
    }
}
