using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Forwarder.Lag;

namespace RemoteWrite.Dapr.Tests.Forwarder.Lag;

public sealed class DeliveryLagTests
{
    [Fact]
    public void Gauge_is_the_oldest_age_in_flight_or_attempted_lately_and_the_histogram_records_accepted_deliveries()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_100_000));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var lag = new DeliveryLag(services.GetRequiredService<IMeterFactory>(), time);
        var recorded = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DeliveryLag.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "remotewrite.forwarder.delivery.lag")
            {
                recorded.Add(value);
            }
        });
        listener.Start();

        Assert.Equal(TimeSpan.Zero, lag.OldestSampleAge());
        var a = lag.Begin();
        a.Saw(1_700_000_090_000); // 10 s old
        var b = lag.Begin();
        b.Saw(1_700_000_070_000); // 30 s old
        Assert.Equal(TimeSpan.FromSeconds(30), lag.OldestSampleAge());

        lag.End(b, accepted: false); // RETRY: not recorded, but still being sent (daprd brings it back)
        Assert.Equal(TimeSpan.FromSeconds(30), lag.OldestSampleAge());
        time.Advance(TimeSpan.FromSeconds(2));
        lag.End(a, accepted: true);
        Assert.Equal([12.0], recorded);
        Assert.Equal(TimeSpan.FromSeconds(32), lag.OldestSampleAge()); // b, retried recently, is the oldest
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(TimeSpan.Zero, lag.OldestSampleAge()); // nothing attempted in the last 30 s: idle
    }
}
