using System.Diagnostics;
using RemoteWrite.Standalone.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Standalone.Tests.EndToEnd.Faults;

/// <summary>
/// Issue 10's fault suite, standalone part: Prometheus 2.42 sending through the relay process to the
/// stand-in process while the stand-in misbehaves for a bounded window. Each test checks that nothing
/// Prometheus counts as delivered is missing at the stand-in, that Prometheus gave nothing up, and that
/// the relay answered every transient fault with a retry (never a 4xx), then prints its report row.
/// The audit stops Prometheus' scraping first (<see cref="DeliveryAudit.SettleAsync"/>), so the counts
/// compared are at rest. The 60 s 503 outage and the relay's kill -9 live in <see cref="PrometheusToStandInTests"/>
/// and print the same row.
/// </summary>
[Collection(SerialCollection.Name)]
[Slow]
public sealed class FaultSuiteTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan FirstData = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(45);

    private readonly EndToEndRig _rig = new();
    private readonly Stopwatch _took = Stopwatch.StartNew();
    private long? _storedDuringFault;

    [PrometheusFact]
    public async Task Azure_429_with_Retry_After_for_20_s_is_answered_503_and_loses_nothing()
    {
        await StartFlowingAsync();
        var before = await _rig.StoredSamplesAsync();
        await _rig.SetFaultAsync("""{"status":429,"retryAfterSeconds":3,"seconds":20}""");
        await Poll.AssertAsync(async () => await _rig.RejectedByStandInAsync(429) > 0, TimeSpan.FromSeconds(15), "a 429 from the stand-in\n" + _rig.Logs);

        var audit = await FinishAsync(before);

        // CONTRACT §1: a 429 to Prometheus (without retry_on_http_429) drops the batch.
        Assert.False(audit.RelayAnswers.ContainsKey("429"), "the relay passed a 429 on: " + audit.Answers);
        Report("Azure 429 + Retry-After: 3, 20 s", before, audit);
    }

    [PrometheusFact]
    public async Task Connection_resets_for_20_s_lose_nothing()
    {
        await StartFlowingAsync();
        var before = await _rig.StoredSamplesAsync();
        await _rig.SetFaultAsync("""{"reset":true,"seconds":20}""");

        var audit = await FinishAsync(before);
        Report("connection resets, 20 s", before, audit);
    }

    [PrometheusFact]
    public async Task Ten_second_latency_for_30_s_loses_nothing()
    {
        await StartFlowingAsync();
        var before = await _rig.StoredSamplesAsync();
        await _rig.SetFaultAsync("""{"latencyMs":10000,"seconds":30}""");

        // The fault is in force: once what was under way before it is in, nothing lands sooner than the latency.
        var started = Stopwatch.StartNew();
        var settled = await Poll.SettledAsync(_rig.StoredSamplesAsync, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        var next = await Poll.UntilAsync(_rig.StoredSamplesAsync, n => n > settled, TimeSpan.FromSeconds(8) - started.Elapsed);
        Assert.True(next == settled, $"samples landed within 8 s of a 10 s latency ({settled} → {next})\n{_rig.Logs}");

        // A request that came in during the window still waits its 10 s after the plan expires. Whether
        // the relay rides through (the default AzureMonitor__AttemptTimeout, 15 s) or answers 503 (a
        // 10 s attempt timeout), nothing may be lost; so no 503 is required here.
        var audit = await FinishAsync(before, extraAfterFault: TimeSpan.FromSeconds(10), expectRetries: false);
        Report("10 s latency, 30 s", before, audit);
    }

    [PrometheusFact]
    public async Task A_new_role_assignment_refused_with_403_for_the_first_minute_loses_nothing()
    {
        // The identity is refused for its first 60 s from its first request (the stand-in's simulation
        // of a role assignment not yet applied, CONTRACT §2): a fresh deployment's first minute.
        await _rig.StartStandInAsync(new Dictionary<string, string?> { ["LocalAzure__RoleAssignmentDelaySeconds"] = "60" });
        await _rig.StartRelayAsync();
        _rig.StartPrometheus();
        await Poll.AssertAsync(async () => await _rig.RejectedByStandInAsync(403) > 0, TimeSpan.FromSeconds(30), "a 403 from the stand-in\n" + _rig.Logs);
        Assert.Equal(0, await _rig.StoredSamplesAsync());

        Assert.True(await Poll.UntilAsync(_rig.StoredSamplesAsync, n => n > 0, TimeSpan.FromSeconds(75)) > 0, "nothing arrived after the first minute\n" + _rig.Logs);
        var audit = await SettleAndAssertAsync();
        Report("403 for the first 60 s (new role assignment)", 0, audit);
    }

    [PrometheusFact]
    public async Task Token_endpoint_down_for_30_s_while_the_token_expires_loses_nothing()
    {
        // 20 s tokens, refreshed at half their life, so the held one expires inside the window and the
        // relay has none for a while. A 5 s cap on the refresh backoff keeps the recovery inside the test's bound.
        await StartFlowingAsync(
            new Dictionary<string, string?> { ["LocalAzure__TokenLifetimeSeconds"] = "20" },
            new Dictionary<string, string?> { ["Identity__MaxRetryDelay"] = "00:00:05" });
        var before = await _rig.StoredSamplesAsync();
        await _rig.SetFaultAsync("""{"status":503,"seconds":30,"target":"token"}""");

        // The held token runs out inside the window (/ready 503). Azure.Identity and MSAL retry a 5xx
        // for a long while inside one refresh, so a 30 s outage may end before a refresh counts as failed.
        await Poll.AssertAsync(
            async () =>
            {
                using var ready = await _rig.Http.GetAsync(new Uri(_rig.Relay!.Address, "/ready"));
                return ready.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable;
            },
            TimeSpan.FromSeconds(35),
            "the token to run out (/ready 503)\n" + _rig.Logs);

        var audit = await FinishAsync(before);
        output.WriteLine($"relay token refreshes failed: {PrometheusText.Sum(await _rig.RelayMetricsAsync(), "remotewrite_identity_token_failures_total")}");
        Report("token endpoint 503, 30 s (20 s tokens)", before, audit);
    }

    [PrometheusFact]
    public async Task Kill_9_of_the_stand_in_under_load_then_restart_loses_nothing()
    {
        await StartFlowingAsync();

        // Hold every new request in the stand-in, so its count is final before the kill: what it was
        // holding dies unanswered, as in a crash of Azure's front end.
        await _rig.SetFaultAsync("""{"latencyMs":8000,"seconds":60}""");
        var before = await Poll.SettledAsync(_rig.StoredSamplesAsync, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        await _rig.KillStandInAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the relay cannot connect: 503 to Prometheus
        await _rig.RestartStandInAsync(); // a new process: no fault plan, and tokens signed before are refused

        Assert.True(await Poll.UntilAsync(_rig.StoredSamplesAsync, n => n > before, TimeSpan.FromSeconds(45)) > before, "nothing arrived after the restart\n" + _rig.Logs);
        var audit = await SettleAndAssertAsync();
        output.WriteLine($"401s from the restarted stand-in (the relay's token was signed by the killed one): {await _rig.RejectedByStandInAsync(401)}");
        _storedDuringFault = 0;
        Report("kill -9 of the stand-in (Azure), restart after 3 s", before, audit);
    }

    private async Task StartFlowingAsync(IReadOnlyDictionary<string, string?>? standIn = null, IReadOnlyDictionary<string, string?>? relay = null)
    {
        await _rig.StartStandInAsync(standIn);
        await _rig.StartRelayAsync(relay);
        _rig.StartPrometheus();
        Assert.True(await Poll.UntilAsync(_rig.StoredSamplesAsync, n => n > 0, FirstData) > 0, "nothing arrived\n" + _rig.Logs);
    }

    // Waits for the fault plan to expire and the flow to resume, then settles and checks.
    private async Task<DeliveryAudit> FinishAsync(long storedBefore, TimeSpan? extraAfterFault = null, bool expectRetries = true)
    {
        Assert.False(await Poll.UntilAsync(_rig.FaultActiveAsync, active => !active, TimeSpan.FromSeconds(45)), "the fault did not end\n" + _rig.Logs);
        var atEnd = await _rig.StoredSamplesAsync();
        _storedDuringFault = atEnd - storedBefore;
        Assert.True(
            await Poll.UntilAsync(_rig.StoredSamplesAsync, n => n > atEnd, TimeSpan.FromSeconds(30) + (extraAfterFault ?? TimeSpan.Zero)) > atEnd,
            "nothing arrived after the fault\n" + _rig.Logs);
        return await SettleAndAssertAsync(expectRetries);
    }

    private async Task<DeliveryAudit> SettleAndAssertAsync(bool expectRetries = true)
    {
        var audit = await DeliveryAudit.SettleAsync(_rig, Settle);
        output.WriteLine($"prometheus samples_total={audit.Attempted} retried={audit.Retried} failed={audit.Failed} dropped={audit.Dropped} pending={audit.Pending}; delivered={audit.Delivered} stored={audit.Stored}; relay answers {audit.Answers}");
        Assert.True(audit.Stored >= audit.Delivered, $"stand-in stored {audit.Stored} < Prometheus delivered {audit.Delivered}\n{_rig.Logs}");
        Assert.Equal(0, audit.Failed);
        Assert.Equal(0, audit.Dropped);
        Assert.Equal(0, audit.Pending);

        // A transient fault reaches Prometheus as "try again", never as a 4xx.
        Assert.DoesNotContain(audit.RelayAnswers.Keys, code => code.StartsWith('4'));
        if (expectRetries)
        {
            Assert.True(audit.RelayAnswers.GetValueOrDefault("503") > 0, "the fault never reached Prometheus as a 503: " + audit.Answers + "\n" + _rig.Logs);
            Assert.True(audit.Retried > 0, "Prometheus retried nothing");
        }
        return audit;
    }

    private void Report(string fault, long storedBefore, DeliveryAudit audit) =>
        FaultReport.Add(output, audit.Row(fault, _storedDuringFault ?? storedBefore, _took.Elapsed));

    public void Dispose() => _rig.Dispose();
}
