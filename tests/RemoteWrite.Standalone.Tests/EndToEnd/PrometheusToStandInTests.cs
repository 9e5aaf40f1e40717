using RemoteWrite.Standalone.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Standalone.Tests.EndToEnd;

/// <summary>
/// Prometheus 2.42 → relay (separate process) → local Azure stand-in, with a real Azure.Identity
/// managed identity credential. Nothing Prometheus counts as sent may be missing at the stand-in,
/// through a minute-long outage of Azure and through a <c>kill -9</c> of the relay.
/// </summary>
[Slow]
[Collection(SerialCollection.Name)]
public sealed class PrometheusToStandInTests(ITestOutputHelper output) : IDisposable
{
    private readonly EndToEndRig _rig = new();

    [PrometheusFact]
    public async Task Every_sample_Prometheus_sent_is_stored_through_a_60_second_503_outage()
    {
        await _rig.StartStandInAsync();
        await _rig.StartRelayAsync();
        _rig.StartPrometheus();
        Assert.True(await Poll.UntilAsync(_rig.StoredSamplesAsync, n => n > 0, TimeSpan.FromSeconds(60)) > 0, "nothing arrived\n" + _rig.Logs);

        // The minute of 503s in the middle of the flow; Prometheus' WAL holds the data meanwhile.
        await _rig.SetFaultAsync("""{"status":503,"retryAfterSeconds":2,"seconds":60}""");
        Assert.True(await Poll.UntilAsync(() => _rig.RejectedByStandInAsync(503), n => n > 0, TimeSpan.FromSeconds(30)) > 0, "the outage never hit\n" + _rig.Logs);
        var duringOutage = await _rig.StoredSamplesAsync();

        // Bounded by the outage plus Prometheus' backoff (max 2 s here) and a catch-up margin.
        Assert.False(await Poll.UntilAsync(_rig.FaultActiveAsync, active => !active, TimeSpan.FromSeconds(75)), "the outage did not end\n" + _rig.Logs);
        var rejected = await _rig.RejectedByStandInAsync(503);
        var stored = await AssertNothingLostAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"503s answered during the outage: {rejected}; stored before/after: {duringOutage}/{stored.Stored}");
        Assert.True(stored.Stored > duringOutage, "nothing arrived after the outage\n" + _rig.Logs);
        Assert.True(stored.Exact, $"no kill, so no duplicate: stored must equal delivered ({stored.Stored} vs {stored.Delivered})");

        // The side car's per-minute line, as a plain logfmt line on stdout.
        Assert.True(await Poll.UntilAsync(() => Task.FromResult(_rig.Relay!.Process.OutputTail), l => l.Contains("msg=\"Metric packets published in last 1 minute\" avgBytesPerRequest=", StringComparison.Ordinal), TimeSpan.FromSeconds(70)) is var log && log.Contains("successfullyPublished=", StringComparison.Ordinal), "no per-minute line\n" + _rig.Logs);
    }

    [PrometheusFact]
    public async Task Kill_9_of_the_relay_under_load_then_restart_loses_nothing()
    {
        await _rig.StartStandInAsync();
        await _rig.StartRelayAsync();
        _rig.StartPrometheus();
        Assert.True(await Poll.UntilAsync(_rig.StoredSamplesAsync, n => n > 0, TimeSpan.FromSeconds(60)) > 0, "nothing arrived\n" + _rig.Logs);
        var before = await _rig.StoredSamplesAsync();

        _rig.Relay!.Process.Kill();
        await Task.Delay(TimeSpan.FromSeconds(3)); // Prometheus fails to connect and keeps the data in its WAL
        await _rig.StartRelayAsync();

        Assert.True(await Poll.UntilAsync(_rig.StoredSamplesAsync, n => n > before, TimeSpan.FromSeconds(60)) > before, "nothing arrived after the restart\n" + _rig.Logs);
        await AssertNothingLostAsync(TimeSpan.FromSeconds(90));
    }

    // Prometheus 2.42 adds every attempt to samples_total and each re-send to retried_total, so
    // what it delivered is sent - retried - failed (measured: the stand-in matched that exactly).
    // Reads Prometheus first, then the stand-in: the stand-in may only be ahead (a batch in flight,
    // or a duplicate after a kill), never behind.
    private async Task<(long Stored, double Delivered, bool Exact)> AssertNothingLostAsync(TimeSpan timeout)
    {
        (double Sent, double Failed, double Dropped, double Pending, double Retried) prometheus = default;
        long stored = 0;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            prometheus = await _rig.PrometheusCountersAsync();
            stored = await _rig.StoredSamplesAsync();
            if (prometheus.Sent > 0 && stored == Delivered(prometheus))
            {
                break;
            }

            await Task.Delay(500);
        }

        output.WriteLine($"prometheus sent={prometheus.Sent} failed={prometheus.Failed} dropped={prometheus.Dropped} retried={prometheus.Retried} pending={prometheus.Pending}; stand-in stored={stored}");
        Assert.True(stored >= Delivered(prometheus), $"stand-in stored {stored} < Prometheus delivered {Delivered(prometheus)}\n{_rig.Logs}");
        Assert.Equal(0, prometheus.Failed);
        Assert.Equal(0, prometheus.Dropped);
        return (stored, Delivered(prometheus), stored == Delivered(prometheus));
    }

    private static double Delivered((double Sent, double Failed, double Dropped, double Pending, double Retried) p) => p.Sent - p.Retried - p.Failed;

    public void Dispose() => _rig.Dispose();
}
