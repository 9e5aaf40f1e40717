using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Buffers;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Errors;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Pipeline;
using V2 = RemoteWrite.Core.Protocol.V2;

namespace RemoteWrite.Core.Tests;

public sealed class WriteRequestPreparerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
    private readonly WriteRequestPreparer _preparer = new(new WriteLimits(), new FakeTimeProvider(Now));

    [Fact]
    public void A_body_needing_no_change_is_forwarded_as_received()
    {
        var body = TestBodies.Compressed(TestBodies.KubernetesScrape(500, Now.ToUnixTimeMilliseconds()));
        using var prepared = _preparer.Prepare(body, "application/x-protobuf", "snappy");
        Assert.True(prepared.ForwardedAsReceived);
        Assert.Equal(body, Assert.Single(prepared.Parts).Compressed.ToArray());
        Assert.Equal(500, prepared.Received.Samples);
        Assert.Empty(prepared.Dropped);
    }

    [Fact]
    public void A_pooled_body_needing_no_change_becomes_the_part_without_a_copy()
    {
        var body = PooledBuffer.CopyOf(TestBodies.Compressed(TestBodies.KubernetesScrape(200, Now.ToUnixTimeMilliseconds())));
        using var prepared = _preparer.Prepare(body, RemoteWriteHeaders.V1ContentType, "snappy");
        Assert.True(prepared.ForwardedAsReceived);
        Assert.True(Assert.Single(prepared.Parts).Compressed.Span == body.Span, "the part is the received buffer itself");
        Assert.Equal(body.Capacity, prepared.PartBytes);
    }

    [Fact]
    public void A_pooled_body_that_is_rewritten_or_refused_is_given_back()
    {
        var old = PooledBuffer.CopyOf(TestBodies.Compressed(TestBodies.Request(TestBodies.Series("up", 4, Now.ToUnixTimeMilliseconds() - 3_600_000))));
        using (var prepared = _preparer.Prepare(old, null, null))
        {
            Assert.Empty(prepared.Parts);
        }

        Assert.Throws<ObjectDisposedException>(() => old.Memory);

        var bad = PooledBuffer.CopyOf([1, 2, 3]);
        Assert.Equal(400, Assert.Throws<RemoteWriteException>(() => _preparer.Prepare(bad, null, null)).StatusCode);
        Assert.Throws<ObjectDisposedException>(() => bad.Memory);
    }

    [Fact]
    public void Old_samples_are_dropped_and_counted_and_the_rest_re_encoded()
    {
        var request = TestBodies.Request(
            TestBodies.Series("fresh", 3, Now.ToUnixTimeMilliseconds() - 10_000),
            TestBodies.Series("stale", 4, Now.ToUnixTimeMilliseconds() - (3600 * 1000)));
        using var prepared = _preparer.Prepare(TestBodies.Compressed(request), null, null);
        Assert.False(prepared.ForwardedAsReceived);
        Assert.Equal(4, prepared.Dropped[DropReason.TooOld].Samples);
        Assert.Equal(3, prepared.Accepted.Samples);
        var joined = RequestSplitterTests.Join(prepared.Parts);
        Assert.Equal("fresh", Assert.Single(joined.Timeseries).Labels[0].Value);
    }

    [Fact]
    public void Everything_dropped_leaves_no_part()
    {
        var request = TestBodies.Request(TestBodies.Series("stale", 4, 1000));
        using var prepared = _preparer.Prepare(TestBodies.Compressed(request), null, null);
        Assert.Empty(prepared.Parts);
        Assert.Equal(4, prepared.Dropped[DropReason.TooOld].Points);
    }

    [Fact]
    public void A_v2_body_becomes_v1_parts()
    {
        var request = new V2.Request();
        request.Symbols.Add(["", "__name__", "up", "job", "a"]);
        var series = new V2.TimeSeries();
        series.LabelsRefs.Add([1, 2, 3, 4]);
        series.Samples.Add(new V2.Sample { Value = 1, Timestamp = Now.ToUnixTimeMilliseconds() });
        request.Timeseries.Add(series);
        using var prepared = _preparer.Prepare(TestBodies.Compressed(request), RemoteWriteHeaders.V2ContentType, "snappy");
        Assert.Equal(RemoteWriteVersion.V2, prepared.Version);
        Assert.Equal(1, prepared.Accepted.Samples);
        var joined = RequestSplitterTests.Join(prepared.Parts);
        Assert.Equal("up", joined.Timeseries[0].Labels[0].Value);
    }

    [Fact]
    public void A_large_body_is_cut_to_the_part_limit()
    {
        var preparer = new WriteRequestPreparer(new WriteLimits { MaxPartBytes = 50_000 }, new FakeTimeProvider(Now));
        var request = TestBodies.KubernetesScrape(5000, Now.ToUnixTimeMilliseconds());
        using var prepared = preparer.Prepare(TestBodies.Compressed(request), null, "snappy");
        Assert.True(prepared.Parts.Count > 1);
        Assert.All(prepared.Parts, p => Assert.True(p.Length <= 50_000));
        Assert.Equal(5000, prepared.Parts.Sum(p => p.Summary.Samples));
    }

    [Fact]
    public void Bad_input_maps_to_400_413_415()
    {
        Assert.Equal(400, Assert.Throws<RemoteWriteException>(() => _preparer.Prepare([1, 2, 3], null, null)).StatusCode);
        Assert.Equal(415, Assert.Throws<RemoteWriteException>(() => _preparer.Prepare([1], "application/json", null)).StatusCode);
        var small = new WriteRequestPreparer(new WriteLimits { MaxDecodedBytes = 2048 }, TimeProvider.System);
        var big = TestBodies.Compressed(TestBodies.KubernetesScrape(100, 1));
        Assert.Equal(413, Assert.Throws<RemoteWriteException>(() => small.Prepare(big, null, null)).StatusCode);
    }

    [Fact]
    public void Limits_list_every_problem()
    {
        var limits = new WriteLimits { MaxPartBytes = 1, MaxDecodedBytes = 0, MaxSampleAge = TimeSpan.Zero };
        Assert.Equal(3, limits.Validate().Count());
        Assert.Empty(new WriteLimits().Validate());
        Assert.Equal(RequestSplitter.AzureMaxBytes, new WriteLimits().MaxPartBytes);
    }
}
