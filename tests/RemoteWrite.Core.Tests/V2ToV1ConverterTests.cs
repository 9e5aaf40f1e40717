using Google.Protobuf;
using RemoteWrite.Core.Conversion;
using RemoteWrite.Core.Errors;
using RemoteWrite.Core.Protocol.V1;
using V2 = RemoteWrite.Core.Protocol.V2;

namespace RemoteWrite.Core.Tests;

public sealed class V2ToV1ConverterTests
{
    [Fact]
    public void Converts_labels_samples_histograms_exemplars_and_metadata()
    {
        var request = new V2.Request();
        request.Symbols.Add(["", "__name__", "http_requests_total", "job", "api", "trace_id", "abc123", "Requests served.", "requests"]);
        var series = new V2.TimeSeries
        {
            Metadata = new V2.Metadata { Type = V2.Metadata.Types.MetricType.Counter, HelpRef = 7, UnitRef = 8 },
            CreatedTimestamp = 99,
        };
        series.LabelsRefs.Add([1, 2, 3, 4]);
        series.Samples.Add(new V2.Sample { Value = 42.5, Timestamp = 1_700_000_000_000 });
        series.Samples.Add(new V2.Sample { Value = BitConverter.UInt64BitsToDouble(0x7ff0000000000002), Timestamp = 1_700_000_015_000 });
        var exemplar = new V2.Exemplar { Value = 3, Timestamp = 1_700_000_000_001 };
        exemplar.LabelsRefs.Add([5, 6]);
        series.Exemplars.Add(exemplar);
        var histogram = new V2.Histogram { CountInt = 10, Sum = 20.5, Schema = 3, ZeroThreshold = 0.001, ZeroCountInt = 1, Timestamp = 1_700_000_000_000 };
        histogram.PositiveSpans.Add(new V2.BucketSpan { Offset = -2, Length = 2 });
        histogram.PositiveDeltas.Add([4, -1]);
        series.Histograms.Add(histogram);
        request.Timeseries.Add(series);

        using var converted = V2ToV1Converter.Convert(request.ToByteArray(), 1 << 20);
        var v1 = WriteRequest.Parser.ParseFrom(converted.Span);

        var ts = Assert.Single(v1.Timeseries);
        Assert.Equal([("__name__", "http_requests_total"), ("job", "api")], ts.Labels.Select(l => (l.Name, l.Value)));
        Assert.Equal(42.5, ts.Samples[0].Value);
        Assert.Equal(0x7ff0000000000002UL, BitConverter.DoubleToUInt64Bits(ts.Samples[1].Value));
        var e = Assert.Single(ts.Exemplars);
        Assert.Equal(("trace_id", "abc123"), (e.Labels[0].Name, e.Labels[0].Value));
        Assert.Equal(1_700_000_000_001, e.Timestamp);
        var h = Assert.Single(ts.Histograms);
        Assert.Equal(10UL, h.CountInt);
        Assert.Equal(3, h.Schema);
        Assert.Equal([4L, -1L], h.PositiveDeltas);
        Assert.Equal(-2, h.PositiveSpans[0].Offset);
        var m = Assert.Single(v1.Metadata);
        Assert.Equal(MetricMetadata.Types.MetricType.Counter, m.Type);
        Assert.Equal("http_requests_total", m.MetricFamilyName);
        Assert.Equal("Requests served.", m.Help);
        Assert.Equal("requests", m.Unit);
    }

    [Fact]
    public void Ref_out_of_range_is_400()
    {
        var request = new V2.Request();
        request.Symbols.Add(["", "__name__", "up"]);
        var series = new V2.TimeSeries();
        series.LabelsRefs.Add([1, 9]);
        request.Timeseries.Add(series);
        var error = Assert.Throws<RemoteWriteException>(() => V2ToV1Converter.Convert(request.ToByteArray(), 1 << 20));
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void First_symbol_not_empty_is_400()
    {
        var request = new V2.Request();
        request.Symbols.Add(["__name__", "up"]);
        var series = new V2.TimeSeries();
        series.LabelsRefs.Add([0, 1]);
        request.Timeseries.Add(series);
        var error = Assert.Throws<RemoteWriteException>(() => V2ToV1Converter.Convert(request.ToByteArray(), 1 << 20));
        Assert.Contains("symbols[0]", error.Message);
    }

    [Fact]
    public void Odd_refs_and_missing_name_are_400()
    {
        var odd = new V2.Request();
        odd.Symbols.Add(["", "__name__", "up"]);
        var s1 = new V2.TimeSeries();
        s1.LabelsRefs.Add([1, 2, 1]);
        odd.Timeseries.Add(s1);
        Assert.Throws<RemoteWriteException>(() => V2ToV1Converter.Convert(odd.ToByteArray(), 1 << 20));

        var nameless = new V2.Request();
        nameless.Symbols.Add(["", "job", "x"]);
        var s2 = new V2.TimeSeries();
        s2.LabelsRefs.Add([1, 2]);
        nameless.Timeseries.Add(s2);
        Assert.Throws<RemoteWriteException>(() => V2ToV1Converter.Convert(nameless.ToByteArray(), 1 << 20));
    }

    [Fact]
    public void Output_over_the_cap_is_413()
    {
        var request = new V2.Request();
        request.Symbols.Add(["", "__name__", new string('x', 1000)]);
        for (var i = 0; i < 100; i++)
        {
            var series = new V2.TimeSeries();
            series.LabelsRefs.Add([1, 2]);
            request.Timeseries.Add(series);
        }

        var error = Assert.Throws<RemoteWriteException>(() => V2ToV1Converter.Convert(request.ToByteArray(), 50_000));
        Assert.Equal(413, error.StatusCode);
    }

    [Fact]
    public void Random_mutations_never_escape_as_another_exception()
    {
        var request = new V2.Request();
        request.Symbols.Add(["", "__name__", "up", "job", "a"]);
        var series = new V2.TimeSeries { Metadata = new V2.Metadata { Type = V2.Metadata.Types.MetricType.Gauge } };
        series.LabelsRefs.Add([1, 2, 3, 4]);
        series.Samples.Add(new V2.Sample { Value = 1, Timestamp = 2 });
        request.Timeseries.Add(series);
        var valid = request.ToByteArray();
        var random = new Random(3);
        for (var i = 0; i < 5000; i++)
        {
            var body = (byte[])valid.Clone();
            body[random.Next(body.Length)] = (byte)random.Next(256);
            try
            {
                using var converted = V2ToV1Converter.Convert(body, 1 << 16);
            }
            catch (RemoteWriteException)
            {
            }
        }
    }
}
