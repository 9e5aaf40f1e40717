using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Forwarder.Lag;

namespace RemoteWrite.Dapr.Tests.Forwarder.Lag;

public sealed class DeliveryLagTests
{
    [Fact]
    public void Gauge_is_the_oldest_in_flight_age_then_the_last_sent_delivery_and_the_histogram_records_accepted_ones()
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

        lag.End(b, accepted: false); // RETRY: not recorded
        Assert.Equal(TimeSpan.FromSeconds(10), lag.OldestSampleAge());
        time.Advance(TimeSpan.FromSeconds(2));
        lag.End(a, accepted: true);
        Assert.Equal([12.0], recorded);
        Assert.Equal(TimeSpan.FromSeconds(12), lag.OldestSampleAge()); // the last sent, while recent
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(TimeSpan.Zero, lag.OldestSampleAge());
    }
}
