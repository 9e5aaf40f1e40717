using CsCheck;
using Google.Protobuf;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Protocol.V1;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Tests;

public sealed class RequestSplitterTests
{
    private static readonly Gen<TimeSeries> SeriesGen =
        Gen.Select(
            Gen.String[Gen.Char['a', 'z'], 1, 12],
            Gen.Int[0, 6],
            Gen.Int[0, 40],
            Gen.Int[0, 2],
            Gen.Long[1_600_000_000_000, 1_800_000_000_000],
            (name, labelCount, samples, exemplars, start) =>
            {
                var series = new TimeSeries();
                series.Labels.Add(new Label { Name = "__name__", Value = name });
                for (var l = 0; l < labelCount; l++)
                {
                    series.Labels.Add(new Label { Name = $"l{l}", Value = $"{name}-{l}-{start % 977}" });
                }

                for (var s = 0; s < samples; s++)
                {
                    series.Samples.Add(new Sample { Value = BitConverter.Int64BitsToDouble(start * 31 + s), Timestamp = start + s });
                }

                for (var e = 0; e < exemplars; e++)
                {
                    var exemplar = new Exemplar { Value = e, Timestamp = start + e };
                    exemplar.Labels.Add(new Label { Name = "trace_id", Value = $"{start:x}{e}" });
                    series.Exemplars.Add(exemplar);
                }

                return series;
            });

    private static readonly Gen<WriteRequest> RequestGen =
        Gen.Select(SeriesGen.Array[0, 60], Gen.Int[0, 3], (series, metadata) =>
        {
            var request = new WriteRequest();
            request.Timeseries.Add(series);
            for (var m = 0; m < metadata; m++)
            {
                request.Metadata.Add(new MetricMetadata { Type = MetricMetadata.Types.MetricType.Counter, MetricFamilyName = $"family_{m}", Help = "help text", Unit = "seconds" });
            }

            return request;
        });

    [Fact]
    public void Parts_are_within_the_limit_and_put_back_together_equal_the_input()
    {
        Gen.Select(RequestGen, Gen.Int[200, 20_000]).Sample((request, limit) =>
        {
            var bytes = request.ToByteArray();
            var parts = Split(bytes, limit, out var dropped);
            try
            {
                Assert.Equal(0, dropped);
                Assert.All(parts, p => Assert.True(p.Length <= limit, $"part of {p.Length} > {limit}"));
                var joined = Join(parts);
                Assert.Equal(Flatten(request), Flatten(joined));
                Assert.Equal(request.Metadata, joined.Metadata);
                Assert.Equal(request.Timeseries.Sum(s => s.Samples.Count), parts.Sum(p => p.Summary.Samples));
            }
            finally
            {
                parts.ForEach(p => p.Dispose());
            }
        }, iter: 150);
    }

    [Fact]
    public void Whole_series_stay_whole_when_they_fit()
    {
        var request = TestBodies.KubernetesScrape(3000, 1_700_000_000_000);
        var parts = Split(request.ToByteArray(), 20_000, out _);
        Assert.True(parts.Count > 1);
        var joined = Join(parts);
        Assert.Equal(request.Timeseries, joined.Timeseries);
        parts.ForEach(p => p.Dispose());
    }

    [Fact]
    public void One_series_over_the_limit_is_cut_by_its_samples()
    {
        var series = TestBodies.Series("huge", 200_000, 1_700_000_000_000, ("job", "a"));
        for (var i = 0; i < series.Samples.Count; i++)
        {
            series.Samples[i].Value = BitConverter.Int64BitsToDouble(0x3FF0_0000_0000_0000L + (i * 7919L));
        }

        var request = TestBodies.Request(series);
        var parts = Split(request.ToByteArray(), RequestSplitter.AzureMaxBytes, out var dropped);
        Assert.Equal(0, dropped);
        Assert.True(parts.Count > 1, "a 3 MB series needs several 1 MB parts");
        Assert.All(parts, p => Assert.True(p.Length <= RequestSplitter.AzureMaxBytes));
        Assert.Equal(Flatten(request), Flatten(Join(parts)));
        parts.ForEach(p => p.Dispose());
    }

    [Fact]
    public void Stale_marker_bits_pass_through_unchanged()
    {
        const ulong staleNaN = 0x7ff0000000000002;
        var series = TestBodies.Series("up", 0, 0, ("job", "a"));
        series.Samples.Add(new Sample { Value = BitConverter.UInt64BitsToDouble(staleNaN), Timestamp = 5 });
        var parts = Split(TestBodies.Request(series, TestBodies.Series("x", 5000, 1)).ToByteArray(), 2000, out _);
        var joined = Join(parts);
        Assert.Equal(staleNaN, BitConverter.DoubleToUInt64Bits(joined.Timeseries[0].Samples[0].Value));
        parts.ForEach(p => p.Dispose());
    }

    internal static List<EncodedPart> Split(byte[] decoded, int limit, out int dropped)
    {
        using var scanner = new WriteRequestScanner();
        scanner.Scan(decoded);
        var parts = new List<EncodedPart>();
        dropped = RequestSplitter.Split(decoded, scanner, limit, 0, parts);
        return parts;
    }

    internal static WriteRequest Join(IEnumerable<EncodedPart> parts)
    {
        var joined = new WriteRequest();
        foreach (var part in parts)
        {
            using var decoded = SnappyCodec.Decode(part.Compressed.Span);
            joined.MergeFrom(decoded.Span);
        }

        return joined;
    }

    // Every data point with its series' labels, in order: equal when nothing is lost or repeated.
    internal static List<string> Flatten(WriteRequest request) =>
        request.Timeseries.SelectMany(s =>
        {
            var labels = string.Join(",", s.Labels.Select(l => $"{l.Name}={l.Value}"));
            return s.Samples.Select(x => $"{labels} s {BitConverter.DoubleToInt64Bits(x.Value)}@{x.Timestamp}")
                .Concat(s.Histograms.Select(h => $"{labels} h {h}"))
                .Concat(s.Exemplars.Select(e => $"{labels} e {e}"));
        }).Order(StringComparer.Ordinal).ToList();
}
