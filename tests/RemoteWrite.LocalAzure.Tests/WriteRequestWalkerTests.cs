using Google.Protobuf;
using RemoteWrite.Core.Protocol.V1;
using RemoteWrite.LocalAzure.Ingestion;
using static RemoteWrite.Testing.RemoteWriteBodies;

namespace RemoteWrite.LocalAzure.Tests;

public sealed class WriteRequestWalkerTests
{
    private const long Now = 1_767_268_800_000;
    private const long Window = 20 * 60_000;

    private static byte[] Request(params TimeSeries[] series)
    {
        var request = new WriteRequest();
        request.Timeseries.AddRange(series);
        request.Metadata.Add(new MetricMetadata { MetricFamilyName = "up", Help = "h" });
        return request.ToByteArray();
    }

    [Fact]
    public void Counts_samples_histograms_and_exemplars_and_drops_old_data()
    {
        var withExtras = Series("h", Now, 1);
        withExtras.Exemplars.Add(new Exemplar { Value = 1, Timestamp = Now });
        withExtras.Histograms.Add(new Histogram { Timestamp = Now, Sum = 2 });
        withExtras.Histograms.Add(new Histogram { Timestamp = Now - (Window + 1), Sum = 2 });
        var store = new SeriesStore();

        var summary = WriteRequestWalker.Walk(Request(withExtras, Series("old", Now - (Window + 1), 5)), Now, Window, store);

        Assert.Equal(2, summary.Series);
        Assert.Equal(2, summary.Samples);
        Assert.Equal(1, summary.SamplesStored);
        Assert.Equal(2, summary.Histograms);
        Assert.Equal(1, summary.HistogramsStored);
        Assert.Equal(1, summary.Exemplars);
        Assert.Equal(2, summary.DroppedOldData);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Series_differing_only_by_case_or_label_order_are_one()
    {
        var store = new SeriesStore();
        var a = Series("Up", Now, 1, ("Job", "API"), ("zone", "x"));
        var b = new TimeSeries();
        b.Labels.Add(new Label { Name = "__name__", Value = "up" });
        b.Labels.Add(new Label { Name = "ZONE", Value = "X" });
        b.Labels.Add(new Label { Name = "job", Value = "api" });
        b.Samples.Add(new Sample { Timestamp = Now + 1, Value = 2 });

        WriteRequestWalker.Walk(Request(a, b, Series("up", Now, 3, ("job", "other"))), Now, Window, store);

        Assert.Equal(2, store.Count);
        var merged = store.All.Single(s => s.Samples == 2);
        Assert.Equal(2, merged.LastValue);
        Assert.Equal("Up{Job=\"API\",zone=\"x\"}", merged.Labels);
    }

    [Fact]
    public void Non_ascii_values_merge_case_insensitively_too()
    {
        var store = new SeriesStore();
        WriteRequestWalker.Walk(Request(Series("m", Now, 1, ("city", "ÉVORA")), Series("m", Now, 1, ("city", "évora"))), Now, Window, store);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Truncated_protobuf_is_refused_with_400()
    {
        var bytes = Request(Series("up", Now, 1));
        var error = Assert.Throws<IngestionException>(() => WriteRequestWalker.Walk(bytes.AsSpan(0, bytes.Length - 3), Now, Window, null));
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void Invalid_utf8_in_a_label_value_is_refused_with_400()
    {
        // WriteRequest{ TimeSeries{ Label{ "__name__", 0xC3 0x28 } } } by hand: the generated types cannot write it.
        byte[] label = [0x0A, 8, .. "__name__"u8, 0x12, 2, 0xC3, 0x28];
        byte[] series = [0x0A, (byte)label.Length, .. label];
        byte[] request = [0x0A, (byte)series.Length, .. series];
        var error = Assert.Throws<IngestionException>(() => WriteRequestWalker.Walk(request, Now, Window, null));
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void Walking_a_known_request_again_adds_no_series()
    {
        // Cost is measured by tests/RemoteWrite.Benchmarks (LocalAzureIngestionBenchmarks), not here.
        var series = Enumerable.Range(0, 2000)
            .Select(i => Series("http_requests_total", Now, i, ("instance", $"10.0.{i / 250}.{i % 250}:9090"), ("job", "api"), ("method", i % 2 == 0 ? "GET" : "POST")))
            .ToArray();
        var bytes = Request(series);
        var store = new SeriesStore();
        WriteRequestWalker.Walk(bytes, Now, Window, store);
        WriteRequestWalker.Walk(bytes, Now, Window, store);
        Assert.Equal(2000, store.Count);
    }
}
