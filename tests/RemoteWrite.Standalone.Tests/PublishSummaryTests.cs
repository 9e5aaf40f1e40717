using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Azure.Reporting;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>The side car's per-minute line (CONTRACT.md §3), byte for byte.</summary>
public sealed class PublishSummaryTests
{
    [Fact]
    public void Line_has_the_side_cars_keys_order_and_format()
    {
        var snapshot = new PublishSnapshot(Succeeded: 122, Failed: 0, Bytes: 19713L * 122, Seconds: 0.023 * 122);

        var line = PublishSummaryLine.Format(DateTimeOffset.Parse("2022-11-02T21:32:59.123Z"), snapshot);

        Assert.Equal("time=\"2022-11-02T21:32:59Z\" level=info msg=\"Metric packets published in last 1 minute\" avgBytesPerRequest=19713 avgRequestDurationInSec=0.023 failedPublishing=0 successfullyPublished=122", line);
    }

    [Fact]
    public void An_idle_minute_prints_zeros_and_a_fast_one_never_prints_zero_duration()
    {
        var time = DateTimeOffset.Parse("2024-05-01T10:00:00Z");
        Assert.EndsWith("avgBytesPerRequest=0 avgRequestDurationInSec=0 failedPublishing=0 successfullyPublished=0", PublishSummaryLine.Format(time, default));
        Assert.Contains("avgRequestDurationInSec=0.001 failedPublishing=1 successfullyPublished=1", PublishSummaryLine.Format(time, new PublishSnapshot(1, 1, 10, 0.0002)));
    }

    [Fact]
    public async Task Reporter_writes_one_line_a_minute_with_that_minutes_totals()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2024-05-01T10:00:00Z"));
        var statistics = new PublishStatistics();
        var output = new StringWriter();
        using var reporter = new PublishSummaryReporter(statistics, new PublishSummaryOutput(output), time);
        await reporter.StartAsync(default);

        statistics.Record(true, 1000, TimeSpan.FromMilliseconds(20));
        statistics.Record(true, 3000, TimeSpan.FromMilliseconds(40));
        statistics.Record(false, 2000, TimeSpan.FromMilliseconds(30));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("", output.ToString());

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Poll.UntilAsync(() => output.ToString().Length > 0, TimeSpan.FromSeconds(10)));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await Poll.UntilAsync(() => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2, TimeSpan.FromSeconds(10)));
        await reporter.StopAsync(default);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("time=\"2024-05-01T10:01:00Z\" level=info msg=\"Metric packets published in last 1 minute\" avgBytesPerRequest=2000 avgRequestDurationInSec=0.03 failedPublishing=1 successfullyPublished=2", lines[0]);
        Assert.Equal("time=\"2024-05-01T10:02:00Z\" level=info msg=\"Metric packets published in last 1 minute\" avgBytesPerRequest=0 avgRequestDurationInSec=0 failedPublishing=0 successfullyPublished=0", lines[1]);
    }
}
