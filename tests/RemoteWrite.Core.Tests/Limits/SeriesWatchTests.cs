using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Core.Azure.Status;
using RemoteWrite.Core.Limits;
using RemoteWrite.Core.Scanning;
using System.Diagnostics.Metrics;

namespace RemoteWrite.Core.Tests.Limits;

public sealed class SeriesWatchTests
{
    private const long Now = 1_700_000_000_000;

    [Fact]
    public void Counts_series_that_differ_only_by_case_and_feeds_the_estimate()
    {
        var request = TestBodies.Request(
            TestBodies.Series("http_requests", 1, Now, ("method", "GET")),
            TestBodies.Series("http_requests", 1, Now, ("method", "get")),
            TestBodies.Series("http_requests", 1, Now, ("Method", "get")),
            TestBodies.Series("http_requests", 1, Now, ("method", "post")),
            TestBodies.Series("http_requests", 1, Now, ("method", "post"))); // the same series twice is no collision
        var (watch, status) = Watch(caseCollisions: true);

        Observe(watch, request);

        Assert.Equal(2, status.CaseCollisions);
        Assert.InRange(status.Destination(IngestionStatus.DefaultDestination).ActiveSeries.Estimate(), 4, 4);
    }

    [Fact]
    public void Counts_nothing_when_off_or_when_series_differ_by_more_than_case()
    {
        var colliding = TestBodies.Request(
            TestBodies.Series("up", 1, Now, ("job", "API")),
            TestBodies.Series("up", 1, Now, ("job", "api")));
        var (off, offStatus) = Watch(caseCollisions: false);
        Observe(off, colliding);
        Assert.Equal(0, offStatus.CaseCollisions);

        var (on, onStatus) = Watch(caseCollisions: true);
        Observe(on, TestBodies.KubernetesScrape(500, Now));
        Assert.Equal(0, onStatus.CaseCollisions);
    }

    [Fact]
    public void Label_set_is_printed_as_Prometheus_does()
    {
        var bytes = TestBodies.Request(TestBodies.Series("up", 1, Now, ("job", "a\"b"))).ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);
        Assert.Equal("{__name__=\"up\", job=\"a\"b\"}", SeriesWatch.LabelSet(scanner.Series[0].Body(bytes)));
    }

    private static (SeriesWatch Watch, IngestionStatus Status) Watch(bool caseCollisions)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddMilliseconds(Now));
        var status = new IngestionStatus(time);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return (new SeriesWatch(status, caseCollisions, meters, time, NullLogger<SeriesWatch>.Instance), status);
    }

    private static void Observe(SeriesWatch watch, Protocol.V1.WriteRequest request)
    {
        var bytes = request.ToByteArray();
        using var scanner = new WriteRequestScanner();
        scanner.Scan(bytes);
        watch.Observe(bytes, scanner);
    }
}
