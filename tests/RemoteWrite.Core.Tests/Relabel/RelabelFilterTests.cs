using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Core.Protocol.V1;
using RemoteWrite.Core.Relabel;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Tests.Relabel;

/// <summary>The filter on whole bodies, checked with the generated protobuf types (not the product's scanner).</summary>
public sealed class RelabelFilterTests
{
    private const long Now = 1_700_000_000_000;

    [Fact]
    public void Rules_that_change_nothing_return_null()
    {
        var bytes = TestBodies.KubernetesScrape(200, Now).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);
        var rules = Rules("- {source_labels: [job], regex: kubelet, action: keep}\n- {regex: not_there, action: labeldrop}");
        Assert.Null(RelabelFilter.Apply(bytes, scanner, rules, int.MaxValue, out var dropped));
        Assert.True(dropped.IsEmpty);
    }

    [Fact]
    public void Drops_are_counted_and_kept_series_keep_their_data_byte_for_byte()
    {
        var request = TestBodies.KubernetesScrape(300, Now, samplesPerSeries: 3);
        request.Timeseries[1].Exemplars.Add(new Exemplar { Value = 7, Timestamp = Now, Labels = { new Label { Name = "trace_id", Value = "abc" } } });
        request.Timeseries[2].Histograms.Add(new Histogram { CountInt = 4, Sum = 2.5, Schema = 3, Timestamp = Now, ZeroThreshold = 1e-128 });
        request.Metadata.Add(new MetricMetadata { MetricFamilyName = "container_metric_0_total", Help = "h", Type = MetricMetadata.Types.MetricType.Counter });
        var bytes = request.ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);

        // Drop 1 name in 50, drop the pod label, build "cluster/namespace" from two labels.
        var rules = Rules(
            """
            - source_labels: [__name__]
              regex: container_metric_0_total
              action: drop
            - regex: pod
              action: labeldrop
            - source_labels: [node, namespace]
              separator: /
              regex: "aks-(nodepool\\d+)-.*/(.*)"
              target_label: where
              replacement: $1.$2
            """);
        using var filtered = RelabelFilter.Apply(bytes, scanner, rules, int.MaxValue, out var dropped);
        Assert.NotNull(filtered);
        var result = WriteRequest.Parser.ParseFrom(filtered.Span);

        var expectedDropped = request.Timeseries.Where(s => s.Labels[0].Value == "container_metric_0_total").ToList();
        Assert.Equal(new DropCounts(expectedDropped.Count, expectedDropped.Count * 3, 0, 0), dropped);
        var kept = request.Timeseries.Except(expectedDropped).ToList();
        Assert.Equal(kept.Count, result.Timeseries.Count);
        for (var i = 0; i < kept.Count; i++)
        {
            var before = kept[i];
            var after = result.Timeseries[i];
            Assert.Equal(before.Samples, after.Samples);
            Assert.Equal(before.Exemplars, after.Exemplars);
            Assert.Equal(before.Histograms, after.Histograms);
            Assert.DoesNotContain(after.Labels, l => l.Name == "pod");
            var node = before.Labels.Single(l => l.Name == "node").Value;
            var ns = before.Labels.Single(l => l.Name == "namespace").Value;
            Assert.Equal($"{node.Split('-')[1]}.{ns}", after.Labels.Single(l => l.Name == "where").Value);
            var names = after.Labels.Select(l => l.Name).ToList();
            Assert.Equal(names.Order(StringComparer.Ordinal), names);
        }

        Assert.Equal(request.Metadata, result.Metadata);
        Assert.Equal(request.Timeseries[1].Exemplars, result.Timeseries.Single(s => s.Exemplars.Count > 0).Exemplars);
        Assert.Equal(request.Timeseries[2].Histograms, result.Timeseries.Single(s => s.Histograms.Count > 0).Histograms);
    }

    [Fact]
    public void A_series_left_without_a_name_is_dropped()
    {
        var bytes = TestBodies.Request(TestBodies.Series("up", 2, Now, ("job", "a")), TestBodies.Series("down", 1, Now, ("job", "b"))).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);
        var rules = Rules("- {source_labels: [job], regex: b, target_label: __name__, replacement: ''}");
        using var filtered = RelabelFilter.Apply(bytes, scanner, rules, int.MaxValue, out var dropped);
        Assert.Equal(new DropCounts(1, 1, 0, 0), dropped);
        Assert.Equal("up", Assert.Single(WriteRequest.Parser.ParseFrom(filtered!.Span).Timeseries).Labels[0].Value);
    }

    [Fact]
    public void Series_that_become_equal_stay_separate()
    {
        var bytes = TestBodies.Request(TestBodies.Series("up", 1, Now, ("pod", "a")), TestBodies.Series("up", 1, Now + 1, ("pod", "b"))).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);
        using var filtered = RelabelFilter.Apply(bytes, scanner, Rules("- {regex: pod, action: labeldrop}"), int.MaxValue, out _);
        var result = WriteRequest.Parser.ParseFrom(filtered!.Span);
        Assert.Equal(2, result.Timeseries.Count);
        Assert.All(result.Timeseries, s => Assert.Equal("__name__", Assert.Single(s.Labels).Name));
    }

    [Fact]
    public void Non_ascii_labels_survive_and_sort_as_utf8_bytes()
    {
        var bytes = TestBodies.Request(TestBodies.Series("up", 1, Now, ("b", "ü"), ("\uFFFDz", "x"), ("\U0001F600", "s"))).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);
        using var filtered = RelabelFilter.Apply(bytes, scanner, Rules("- {target_label: \"a\", replacement: \"😀\"}\n- {regex: '(.*)z', replacement: '${1}z2', action: labelmap}"), int.MaxValue, out _);
        var labels = Assert.Single(WriteRequest.Parser.ParseFrom(filtered!.Span).Timeseries).Labels;
        Assert.Equal("😀", labels.Single(l => l.Name == "a").Value);
        Assert.Equal("ü", labels.Single(l => l.Name == "b").Value);
        var names = labels.Select(l => l.Name).ToList();
        Assert.Equal(names.OrderBy(n => n, Comparer<string>.Create((x, y) => Utf8Compare(x, y))), names);
    }

    [Fact]
    public void The_preparer_counts_relabel_drops_and_forwards_an_untouched_body_as_received()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Now));
        var preparer = new WriteRequestPreparer(new WriteLimits(), time, relabel: Rules("- {source_labels: [__name__], regex: 'container_metric_[0-4]_total', action: drop}"));
        var body = TestBodies.Compressed(TestBodies.KubernetesScrape(500, Now));
        using var prepared = preparer.Prepare(body, "application/x-protobuf", "snappy");
        Assert.False(prepared.ForwardedAsReceived);
        Assert.Equal(50, prepared.Dropped[DropReason.Relabel].Series);
        Assert.Equal(50, prepared.Dropped[DropReason.Relabel].Samples);
        Assert.Equal(450, prepared.Accepted.Samples);

        var keepAll = new WriteRequestPreparer(new WriteLimits(), time, relabel: Rules("- {source_labels: [job], regex: kubelet, action: keep}"));
        using var same = keepAll.Prepare(body, "application/x-protobuf", "snappy");
        Assert.True(same.ForwardedAsReceived);
        Assert.Empty(same.Dropped);
    }

    [Fact]
    public void Relabel_runs_before_the_label_limits()
    {
        // A series over Azure's 63 labels is rescued by a labeldrop.
        var wide = Enumerable.Range(0, 70).Select(i => ($"l{i:D2}", "v")).ToArray();
        var body = TestBodies.Compressed(TestBodies.Request(TestBodies.Series("wide", 1, Now, wide)));
        var preparer = new WriteRequestPreparer(new WriteLimits(), new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Now)), relabel: Rules("- {regex: 'l[0-3].', action: labeldrop}"));
        using var prepared = preparer.Prepare(body, null, null);
        Assert.Empty(prepared.Dropped);
        Assert.Equal(1, prepared.Accepted.Samples);
    }

    private static RelabelRules Rules(string yaml)
    {
        var problems = new List<string>();
        var rules = RelabelRules.Parse(yaml, problems);
        Assert.Empty(problems);
        return rules;
    }

    private static int Utf8Compare(string x, string y) =>
        System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y));
}
