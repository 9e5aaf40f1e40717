using RemoteWrite.Standalone.Tests.EndToEnd.Faults;
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
    private readonly System.Diagnostics.Stopwatch _took = System.Diagnostics.Stopwatch.StartNew();

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
        var stored = await AssertNothingLostAsync(TimeSpan.FromSeconds(90), "Azure 503 + Retry-After: 2, 60 s", await _rig.StoredSamplesAsync() - duringOutage);
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
        await AssertNothingLostAsync(TimeSpan.FromSeconds(90), "kill -9 of the relay, restart after 3 s (answers: after the restart)", 0);
    }

    // Settles as the fault suite does (DeliveryAudit) and prints the same report row.
    private async Task<(long Stored, double Delivered, bool Exact)> AssertNothingLostAsync(TimeSpan timeout, string fault, long storedDuringFault)
    {
        var audit = await DeliveryAudit.SettleAsync(_rig, timeout);
        output.WriteLine($"prometheus sent={audit.Attempted} failed={audit.Failed} dropped={audit.Dropped} retried={audit.Retried} pending={audit.Pending}; stand-in stored={audit.Stored}");
        Assert.True(audit.Stored >= audit.Delivered, $"stand-in stored {audit.Stored} < Prometheus delivered {audit.Delivered}\n{_rig.Logs}");
        Assert.Equal(0, audit.Failed);
        Assert.Equal(0, audit.Dropped);
        FaultReport.Add(output, audit.Row(fault, storedDuringFault, _took.Elapsed));
        return (audit.Stored, audit.Delivered, audit.Exact);
    }

    public void Dispose() => _rig.Dispose();
}
