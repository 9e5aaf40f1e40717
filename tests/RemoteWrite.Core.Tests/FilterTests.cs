using Google.Protobuf;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Protocol.V1;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Core.Tests;

public sealed class FilterTests
{
    private const long Now = 1_700_000_000_000;

    [Fact]
    public void Time_window_returns_null_when_everything_is_inside()
    {
        var bytes = TestBodies.Request(TestBodies.Series("up", 5, Now - 5000)).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);
        Assert.Null(TimeWindowFilter.Apply(bytes, scanner, Now - 60_000, Now + 60_000, out var old, out var future));
        Assert.True(old.IsEmpty && future.IsEmpty);
    }

    [Fact]
    public void Time_window_drops_and_counts_old_and_future_points()
    {
        var allOld = TestBodies.Series("old", 3, Now - 3_600_000, ("job", "a"));
        var mixed = TestBodies.Series("mixed", 10, Now - 5500, ("job", "b")); // 5 old, 5 inside
        var future = TestBodies.Series("future", 2, Now + 3_600_000, ("job", "c"));
        var request = TestBodies.Request(allOld, mixed, future);
        request.Metadata.Add(new MetricMetadata { MetricFamilyName = "mixed", Help = "h" });
        var bytes = request.ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);

        using var filtered = TimeWindowFilter.Apply(bytes, scanner, Now - 1000, Now + 60_000, out var tooOld, out var tooNew);
        Assert.NotNull(filtered);
        var result = WriteRequest.Parser.ParseFrom(filtered.Span);

        Assert.Equal(new DropCounts(1, 8, 0, 0), tooOld);
        Assert.Equal(new DropCounts(1, 2, 0, 0), tooNew);
        var kept = Assert.Single(result.Timeseries);
        Assert.Equal("mixed", kept.Labels[0].Value);
        Assert.Equal(5, kept.Samples.Count);
        Assert.All(kept.Samples, s => Assert.True(s.Timestamp >= Now - 1000));
        Assert.Single(result.Metadata);
    }

    [Fact]
    public void Label_limits_drop_whole_series_counted()
    {
        var many = TestBodies.Series("many", 2, Now, Enumerable.Range(0, 70).Select(i => ($"l{i:D2}", "v")).ToArray());
        var longValue = TestBodies.Series("long", 3, Now, ("v", new string('x', 1024)));
        var multiByteOk = TestBodies.Series("ok", 1, Now, ("v", new string('é', 1000))); // 2000 bytes, 1000 characters
        var bytes = TestBodies.Request(many, longValue, multiByteOk).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);

        using var filtered = LabelLimitFilter.Apply(bytes, scanner, LabelLimits.Azure, out var dropped);
        Assert.NotNull(filtered);
        Assert.Equal(new DropCounts(2, 5, 0, 0), dropped);
        var kept = Assert.Single(WriteRequest.Parser.ParseFrom(filtered.Span).Timeseries);
        Assert.Equal("ok", kept.Labels[0].Value);
    }

    [Fact]
    public void Label_limits_return_null_when_nothing_is_over()
    {
        var bytes = TestBodies.KubernetesScrape(50, Now).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);
        Assert.Null(LabelLimitFilter.Apply(bytes, scanner, LabelLimits.Azure, out _));
    }
}

public sealed class LabelTruncationTests
{
    private const long Now = 1_700_000_000_000;

    [Fact]
    public void Truncate_mode_cuts_long_values_to_the_limit_and_still_drops_long_names_and_many_labels()
    {
        var longValue = TestBodies.Series("long", 3, Now, ("a", "keep"), ("v", new string('x', 1500)));
        var longMultiByte = TestBodies.Series("multi", 1, Now, ("v", string.Concat(Enumerable.Repeat("é😀", 600)))); // 1800 chars
        var longName = TestBodies.Series("name", 2, Now, (new string('n', 600), "v"));
        var many = TestBodies.Series("many", 4, Now, Enumerable.Range(0, 70).Select(i => ($"l{i:D2}", "v")).ToArray());
        var fine = TestBodies.Series("fine", 1, Now, ("v", "short"));
        var bytes = TestBodies.Request(longValue, longMultiByte, longName, many, fine).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);

        using var filtered = LabelLimitFilter.Apply(bytes, scanner, LabelLimits.Azure, OverLimitLabels.Truncate, out var dropped, out var truncated);

        Assert.NotNull(filtered);
        Assert.Equal(2, truncated);
        Assert.Equal(new DropCounts(2, 6, 0, 0), dropped);
        var kept = WriteRequest.Parser.ParseFrom(filtered.Span).Timeseries;
        Assert.Equal(["long", "multi", "fine"], kept.Select(s => s.Labels[0].Value));
        Assert.Equal(new string('x', 1023), kept[0].Labels[2].Value);
        Assert.Equal("keep", kept[0].Labels[1].Value);
        Assert.Equal(3, kept[0].Samples.Count);
        var cut = kept[1].Labels[1].Value;
        Assert.True(cut.Length <= 1023 && cut.Length >= 1021, $"{cut.Length} UTF-16 characters");
        Assert.False(char.IsHighSurrogate(cut[^1]));
        Assert.Equal("short", kept[2].Labels[1].Value);
    }

    [Fact]
    public void Drop_mode_is_the_default_behaviour()
    {
        var bytes = TestBodies.Request(TestBodies.Series("long", 3, Now, ("v", new string('x', 1500)))).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);
        using var filtered = LabelLimitFilter.Apply(bytes, scanner, LabelLimits.Azure, OverLimitLabels.Drop, out var dropped, out var truncated);
        Assert.Equal(0, truncated);
        Assert.Equal(new DropCounts(1, 3, 0, 0), dropped);
        Assert.Empty(WriteRequest.Parser.ParseFrom(filtered!.Span).Timeseries);
    }
}
