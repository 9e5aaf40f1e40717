using System.Net;
using System.Text.RegularExpressions;
using RemoteWrite.Dapr.Tests.Infrastructure;

namespace RemoteWrite.Dapr.Tests;

/// <summary>
/// The forwarder's status page at <c>/</c> and its <c>check</c> command on the running Dapr stack
/// (ingress → daprd stand-in → Redis → forwarder → token service → local Azure).
/// </summary>
[Slow]
[Collection(StackCollection.Name)]
public sealed class ForwarderStatusAndCheckTests(StackFixture fixture)
{
    private readonly DaprStack _stack = fixture.Stack;

    [RedisFact]
    public async Task The_page_shows_what_the_forwarder_sent_its_token_and_its_lag()
    {
        await _stack.DrainAsync();
        var before = await _stack.AzureStatsAsync();
        using (var response = await _stack.Http.SendAsync(RemoteWriteBodies.Post(_stack.IngressWriteUrl, RemoteWriteBodies.Batch(Guid.NewGuid().ToString("N"), 0, 25, 2))))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await Poll.AssertAsync(async () => (await _stack.AzureStatsAsync()).Samples - before.Samples >= 50, TimeSpan.FromSeconds(90), "50 samples at Azure");

        // The stand-in counts a request before it answers: the forwarder records the answer a moment later.
        var html = "";
        await Poll.AssertAsync(async () =>
        {
            using var page = await _stack.Http.GetAsync(new Uri(_stack.Forwarder.Address, "/"));
            html = page.StatusCode == HttpStatusCode.OK ? await page.Content.ReadAsStringAsync() : "";
            return Regex.IsMatch(html, "id=\"out-total\">[1-9][0-9,]*<");
        }, TimeSpan.FromSeconds(30), "samples out on the status page");
        Assert.Contains("<title>forwarder status</title>", html);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\">", html);
        Assert.Contains("dataCollectionRules/" + DaprStack.Dcr, html);
        Assert.Contains("id=\"token-state\"><span class=\"ok\">held</span>", html);
        Assert.Contains("Lag and backlog", html);
        Assert.Contains("oldest sample being sent", html);
        Assert.Contains("not measured here", html); // active series: bodies pass the forwarder undecoded
    }

    [RedisFact]
    public async Task Check_gets_a_token_through_the_token_service_and_passes()
    {
        var run = await ServiceProcess.RunToExitAsync("RemoteWrite.Forwarder", _stack.Forwarder.Environment, TimeSpan.FromSeconds(90), "check");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("OK    default ", run.Stdout);
        Assert.Contains("All 1 endpoint(s) pass.", run.Stdout);
        Assert.DoesNotContain("eyJ", run.Stdout + run.Stderr);
    }

    [RedisFact]
    public async Task Check_names_the_token_when_the_token_service_cannot_be_reached()
    {
        var environment = new Dictionary<string, string?>(_stack.Forwarder.Environment)
        {
            ["DAPR_HTTP_ENDPOINT"] = "http://127.0.0.1:1",
            ["Forwarder__TokenTimeout"] = "00:00:03",
        };

        var run = await ServiceProcess.RunToExitAsync("RemoteWrite.Forwarder", environment, TimeSpan.FromSeconds(90), "check");

        Assert.Equal(1, run.ExitCode);
        Assert.True(run.Stdout.Contains(": token: getting a token: the token service gave no token", StringComparison.Ordinal), run.Stdout + run.Stderr);
    }
}
