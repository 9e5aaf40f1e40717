using RemoteWrite.Dapr.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests.Faults;

/// <summary>
/// Issue 10's fault suite on the Dapr path: a real Prometheus sends through ingress → Redis → forwarder → local
/// Azure while one fault is held for a short window; after it clears every sample Prometheus was told was written
/// is at the stand-in (duplicates allowed, counted). Each prints one <c>REPORT</c> line. Faults covered elsewhere
/// (forwarder kill -9, a 60 s outage, token service down, broker refusing, Redis kill -9) are not repeated here.
/// </summary>
[Collection(StackCollection.Name)]
[Slow]
public sealed class FaultSuiteTests(StackFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(25);
    private readonly DaprStack _stack = fixture.Stack;

    private FaultRun Run() => new(_stack, output);

    private async Task AzureFaultAsync(FaultRun run, string plan)
    {
        await _stack.LocalAzure.SetFaultAsync(plan);
        await run.HoldAsync(Window);
        await ClearAsync();
    }

    private async Task ClearAsync()
    {
        using var cleared = await _stack.Http.DeleteAsync(new Uri(_stack.LocalAzure.HttpAddress, "/admin/faults"));
        cleared.EnsureSuccessStatusCode();
        Assert.False(await _stack.LocalAzure.FaultActiveAsync());
    }

    [RedisAndPrometheusFact]
    public async Task Azure_answering_503()
    {
        var before = await _stack.LocalAzure.RejectedAsync(503);
        var figures = await Run().RunAsync("Azure 503 for 25 s", run => AzureFaultAsync(run, """{"status":503,"target":"ingestion"}"""));
        var refused = await _stack.LocalAzure.RejectedAsync(503) - before;
        output.WriteLine($"the stand-in refused {refused} requests with 503");
        Assert.True(refused > 0, "the stand-in answered 503");
        Assert.True(figures.ForwarderRetries > 0, figures.ReportLine());
    }

    [RedisAndPrometheusFact]
    public async Task Azure_answering_429_with_Retry_After()
    {
        var before = await _stack.LocalAzure.RejectedAsync(429);
        var figures = await Run().RunAsync("Azure 429 Retry-After 5 for 25 s", run => AzureFaultAsync(run, """{"status":429,"retryAfterSeconds":5,"target":"ingestion"}"""));
        var refused = await _stack.LocalAzure.RejectedAsync(429) - before;
        output.WriteLine($"the stand-in refused {refused} requests with 429");
        Assert.True(refused > 0, "the stand-in answered 429");
        Assert.True(figures.ForwarderRetries > 0, figures.ReportLine());
    }

    [RedisAndPrometheusFact]
    public async Task Azure_resetting_connections()
    {
        var figures = await Run().RunAsync("Azure connection resets for 25 s", run => AzureFaultAsync(run, """{"reset":true,"target":"ingestion"}"""));
        Assert.True(figures.ForwarderRetries > 0, figures.ReportLine());
    }

    [RedisAndPrometheusFact]
    public async Task Azure_answering_after_10_seconds()
    {
        // Slow, not failing: each request is stored after 10 s, whether or not the forwarder still waits for it.
        var figures = await Run().RunAsync("Azure 10 s latency for 25 s", run => AzureFaultAsync(run, """{"latencyMs":10000,"target":"ingestion"}"""));
        Assert.True(figures.Stored > 0, figures.ReportLine());
    }

    [RedisAndPrometheusFact]
    public async Task Azure_refusing_with_403_while_a_new_role_assignment_applies()
    {
        // The stand-in's role-assignment simulation: every identity refused for 25 s from its next request.
        var before = await _stack.LocalAzure.RejectedAsync(403);
        var figures = await Run().RunAsync("Azure 403 for 25 s (new role assignment)", async run =>
        {
            await _stack.SetRoleAssignmentDelayAsync((int)Window.TotalSeconds);
            try
            {
                await run.HoldAsync(Window + TimeSpan.FromSeconds(2));
            }
            finally
            {
                await _stack.SetRoleAssignmentDelayAsync(0);
            }
        });
        var refused = await _stack.LocalAzure.RejectedAsync(403) - before;
        output.WriteLine($"the stand-in refused {refused} requests with 403");
        Assert.True(refused > 0, "the stand-in answered 403");
        Assert.True(figures.ForwarderRetries > 0, figures.ReportLine());
    }

    [RedisAndPrometheusFact]
    public async Task Ingress_killed_under_load_and_restarted()
    {
        var figures = await Run().RunAsync("ingress kill -9, 10 s down, restart", async run =>
        {
            await run.HoldAsync(TimeSpan.FromSeconds(5));
            await run.RememberIngressCountersAsync();
            _stack.Ingress.Kill();
            await run.HoldAsync(TimeSpan.FromSeconds(10));
            _stack.Ingress.Start();
            await _stack.Ingress.WaitUntilAsync("/ready", TimeSpan.FromSeconds(60));
            await run.HoldAsync(TimeSpan.FromSeconds(5));
        });
        Assert.True(figures.PrometheusRetried > 0, $"Prometheus retried while the ingress was down: {figures.ReportLine()}");
    }

    [RedisAndPrometheusFact]
    public async Task Token_service_killed_under_load_and_restarted()
    {
        var figures = await Run().RunAsync("token service kill -9, 15 s down, 401 once, restart", async run =>
        {
            _stack.TokenService.Kill();
            // Azure refuses the forwarder's token once while the token service is gone: it must get another one and cannot.
            await _stack.LocalAzure.SetFaultAsync("""{"status":401,"requests":1,"target":"ingestion"}""");
            await run.HoldAsync(TimeSpan.FromSeconds(15));
            _stack.TokenService.Start();
            await _stack.TokenService.WaitUntilAsync("/ready", TimeSpan.FromSeconds(60));
            await ClearAsync();
        });
        Assert.True(figures.ForwarderRetries > 0, figures.ReportLine());
    }

    [RedisAndPrometheusFact]
    public async Task Token_endpoint_down_then_back()
    {
        var issued = await _stack.LocalAzure.TokensIssuedAsync("secret");
        var figures = await Run().RunAsync("Entra token endpoint 503 for 25 s (token refused once by Azure)", async run =>
        {
            // Entra down; Azure's 403 for 3 s makes the forwarder ask for a new token, which the token service cannot get.
            await _stack.LocalAzure.SetFaultAsync("""{"status":503,"target":"token"}""");
            await _stack.SetRoleAssignmentDelayAsync(3);
            try
            {
                await run.HoldAsync(Window);
            }
            finally
            {
                await _stack.SetRoleAssignmentDelayAsync(0);
                await ClearAsync();
            }
        });
        output.WriteLine($"tokens issued by the stand-in during the run: {await _stack.LocalAzure.TokensIssuedAsync("secret") - issued}");
        Assert.True(figures.ForwarderRetries > 0, figures.ReportLine());
    }
}
