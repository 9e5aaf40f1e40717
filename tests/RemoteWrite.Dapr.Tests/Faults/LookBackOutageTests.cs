using RemoteWrite.Dapr.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests.Faults;

/// <summary>
/// An Azure outage longer than Azure's look-back window, on the Dapr path. The forwarder's window
/// (<c>RemoteWrite__MaxSampleAge</c>, 20 min by default) is made 30 s so a 45 s outage outlasts it: what became too old
/// while daprd redelivered is dropped and counted (<c>remotewrite_forwarder_dropped_total{reason="too_old"}</c>), the
/// rest is delivered, and acknowledged = stored + dropped (+ duplicates), nothing unaccounted.
/// </summary>
[Slow]
public sealed class LookBackOutageTests(ITestOutputHelper output)
{
    [RedisAndPrometheusFact]
    public async Task Outage_longer_than_the_window_drops_and_counts_what_became_too_old_and_delivers_the_rest()
    {
        await using var stack = await DaprStack.StartAsync(new Dictionary<string, string> { ["RemoteWrite__MaxSampleAge"] = "00:00:30" });
        var figures = await new FaultRun(stack, output).RunAsync("Azure 503 for 45 s, window 30 s", async run =>
        {
            await stack.SetAzureFaultAsync(503, 45);
            await run.HoldAsync(TimeSpan.FromSeconds(45));
            using var cleared = await stack.Http.DeleteAsync(new Uri(stack.LocalAzure.HttpAddress, "/admin/faults"));
            cleared.EnsureSuccessStatusCode();
        });

        Assert.True(figures.DroppedTooOld > 0, $"nothing counted as too old: {figures.ReportLine()}");
        Assert.True(figures.Stored > 0, $"nothing delivered: {figures.ReportLine()}");
        Assert.True(figures.Stored < figures.Acknowledged, $"the outage outlasted the window, yet everything was stored: {figures.ReportLine()}");
        Assert.True(figures.Duplicates >= 0, figures.ReportLine()); // acknowledged = stored + dropped − duplicates: none unaccounted
    }
}
