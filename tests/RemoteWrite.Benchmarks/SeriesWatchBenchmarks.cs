using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RemoteWrite.Core.Azure.Status;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Limits;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Benchmarks;

/// <summary>
/// What the series watch adds to the relay's request path (<see cref="WriteRequestPreparer.Prepare"/>
/// on the 2,000-series request): the active-series estimate alone, and with case-collision detection,
/// on the request as scraped (lower-case label values) and with an upper-case letter in every series
/// (the folded copy and second hash then run for every series).
/// </summary>
[MemoryDiagnoser]
public class SeriesWatchBenchmarks
{
    private static readonly WriteLimits Limits = new() { MaxSampleAge = TimeSpan.FromDays(36500), MaxFutureSkew = TimeSpan.FromDays(36500) };

    private byte[] _compressed = [];
    private byte[] _upperCase = [];
    private WriteRequestPreparer _plain = null!;
    private WriteRequestPreparer _activeSeries = null!;
    private WriteRequestPreparer _caseCollisions = null!;

    [GlobalSetup]
    public void Setup()
    {
        _compressed = SnappyCodec.EncodeToArray(KubernetesScrape.V1().ToByteArray());
        var upper = KubernetesScrape.V1();
        foreach (var series in upper.Timeseries)
        {
            var last = series.Labels[^1];
            last.Value = char.ToUpperInvariant(last.Value[0]) + last.Value[1..];
        }

        _upperCase = SnappyCodec.EncodeToArray(upper.ToByteArray());
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var status = new IngestionStatus(TimeProvider.System);
        _plain = new WriteRequestPreparer(Limits, TimeProvider.System);
        _activeSeries = new WriteRequestPreparer(Limits, TimeProvider.System, watch: new SeriesWatch(status, false, meters, TimeProvider.System, NullLogger<SeriesWatch>.Instance));
        _caseCollisions = new WriteRequestPreparer(Limits, TimeProvider.System, watch: new SeriesWatch(status, true, meters, TimeProvider.System, NullLogger<SeriesWatch>.Instance));
    }

    [Benchmark(Baseline = true, Description = "prepare, no watch (2,000 series)")]
    public int Plain() => Prepare(_plain, _compressed);

    [Benchmark(Description = "prepare + active series (2,000 series)")]
    public int ActiveSeries() => Prepare(_activeSeries, _compressed);

    [Benchmark(Description = "prepare + active series + case collisions (2,000 series)")]
    public int CaseCollisions() => Prepare(_caseCollisions, _compressed);

    [Benchmark(Description = "prepare + case collisions, upper case in every series (2,000 series)")]
    public int CaseCollisionsUpperCase() => Prepare(_caseCollisions, _upperCase);

    private static int Prepare(WriteRequestPreparer preparer, byte[] body)
    {
        using var prepared = preparer.Prepare(body, RemoteWriteHeaders.V1ContentType, "snappy");
        return prepared.Parts.Count;
    }
}
