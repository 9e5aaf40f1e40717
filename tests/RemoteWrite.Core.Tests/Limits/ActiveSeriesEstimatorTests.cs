using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Core.Limits;

namespace RemoteWrite.Core.Tests.Limits;

public sealed class ActiveSeriesEstimatorTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(1_000)]
    [InlineData(200_000)]
    public void Estimates_distinct_series_within_a_few_percent(int distinct)
    {
        var estimator = new ActiveSeriesEstimator(new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000)));
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < distinct; i++)
            {
                estimator.Add(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes($"{{__name__=\"m\",pod=\"p-{i}\"}}")));
            }
        }

        var estimate = estimator.Estimate();
        // 2^12 registers: standard error 1.04/64 ≈ 1.6 %; 5 % is beyond three of them.
        Assert.InRange(estimate, distinct * 0.95, distinct * 1.05);
    }

    [Fact]
    public void Forgets_series_not_seen_for_more_than_12_hours()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var estimator = new ActiveSeriesEstimator(time);
        for (ulong i = 0; i < 1000; i++)
        {
            estimator.Add(XxHash64.HashToUInt64(BitConverter.GetBytes(i)));
        }

        time.Advance(TimeSpan.FromHours(6));
        Assert.InRange(estimator.Estimate(), 950, 1050);
        estimator.Add(XxHash64.HashToUInt64("late"u8));
        time.Advance(TimeSpan.FromHours(7));
        Assert.Equal(1, estimator.Estimate());
        time.Advance(TimeSpan.FromHours(13));
        Assert.Equal(0, estimator.Estimate());
    }
}
