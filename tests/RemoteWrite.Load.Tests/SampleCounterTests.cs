using RemoteWrite.Core.Codec;
using RemoteWrite.SideBySide;

namespace RemoteWrite.Load.Tests;

public sealed class SampleCounterTests
{
    [Fact]
    public void Counts_every_sample_of_every_series()
    {
        var body = BodyFactory.Create(1, 7, seriesCount: 30, samplesPerSeries: 3, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var decoded = SnappyCodec.Decode(body);
        Assert.Equal(90, SampleCounter.Count(decoded.Span));
        Assert.Equal(0, SampleCounter.Count([]));
    }

    [Fact]
    public void A_truncated_body_is_refused_not_miscounted()
    {
        var body = BodyFactory.Create(1, 7, seriesCount: 30, samplesPerSeries: 3, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var decoded = SnappyCodec.Decode(body);
        Assert.Equal(-1, SampleCounter.Count(decoded.Span[..^3]));
        Assert.Equal(-1, SampleCounter.Count([0x0A, 0xFF]));
    }
}
