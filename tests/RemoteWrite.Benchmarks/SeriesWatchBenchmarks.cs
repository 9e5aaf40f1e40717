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
/// (the folded copy and second hash then run for every series). The "watch only" rows time
/// <see cref="SeriesWatch.Observe"/> alone on the scanned request; on a shared machine compare the Min
/// columns, which load disturbs least.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class SeriesWatchBenchmarks
{
    private static readonly WriteLimits Limits = new() { MaxSampleAge = TimeSpan.FromDays(36500), MaxFutureSkew = TimeSpan.FromDays(36500) };

    private byte[] _compressed = [];
    private byte[] _upperCase = [];
    private WriteRequestPreparer _plain = null!;
    private WriteRequestPreparer _activeSeries = null!;
    private WriteRequestPreparer _caseCollisions = null!;
    private SeriesWatch _seriesOnly = null!;
    private SeriesWatch _withCase = null!;
    private byte[] _decoded = [];
    private byte[] _decodedUpper = [];
    private readonly Core.Scanning.WriteRequestScanner _scanner = new();
    private readonly Core.Scanning.WriteRequestScanner _scannerUpper = new();

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
        _seriesOnly = new SeriesWatch(status, false, meters, TimeProvider.System, NullLogger<SeriesWatch>.Instance);
        _withCase = new SeriesWatch(status, true, meters, TimeProvider.System, NullLogger<SeriesWatch>.Instance);
        _plain = new WriteRequestPreparer(Limits, TimeProvider.System);
        _activeSeries = new WriteRequestPreparer(Limits, TimeProvider.System, watch: _seriesOnly);
        _caseCollisions = new WriteRequestPreparer(Limits, TimeProvider.System, watch: _withCase);
        _decoded = KubernetesScrape.V1().ToByteArray();
        _decodedUpper = upper.ToByteArray();
        _scanner.Scan(_decoded);
        _scannerUpper.Scan(_decodedUpper);
    }

    [Benchmark(Baseline = true, Description = "prepare, no watch (2,000 series)")]
    public int Plain() => Prepare(_plain, _compressed);

    [Benchmark(Description = "prepare + active series (2,000 series)")]
    public int ActiveSeries() => Prepare(_activeSeries, _compressed);

    [Benchmark(Description = "prepare + active series + case collisions (2,000 series)")]
    public int CaseCollisions() => Prepare(_caseCollisions, _compressed);

    [Benchmark(Description = "prepare + case collisions, upper case in every series (2,000 series)")]
    public int CaseCollisionsUpperCase() => Prepare(_caseCollisions, _upperCase);

    [Benchmark(Description = "watch only: active series (2,000 series)")]
    public int WatchSeries()
    {
        _seriesOnly.Observe(_decoded, _scanner);
        return _scanner.Series.Length;
    }

    [Benchmark(Description = "watch only: active series + case collisions (2,000 series)")]
    public int WatchCase()
    {
        _withCase.Observe(_decoded, _scanner);
        return _scanner.Series.Length;
    }

    [Benchmark(Description = "watch only: case collisions, upper case in every series (2,000 series)")]
    public int WatchCaseUpper()
    {
        _withCase.Observe(_decodedUpper, _scannerUpper);
        return _scannerUpper.Series.Length;
    }

    private static int Prepare(WriteRequestPreparer preparer, byte[] body)
    {
        using var prepared = preparer.Prepare(body, RemoteWriteHeaders.V1ContentType, "snappy");
        return prepared.Parts.Count;
    }
}
