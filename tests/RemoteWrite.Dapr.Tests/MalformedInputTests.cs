using System.Net;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;
using RemoteWrite.Testing.Malformed;
using Xunit.Abstractions;

namespace RemoteWrite.Dapr.Tests;

/// <summary>
/// Issue 10's malformed-input suite against the ingress process with its stand-in daprd (nothing else of
/// the stack: a bad body never reaches the broker): 10,000 generated bad bodies (seed printed), eight at
/// a time; each gets its 4xx, none a 5xx, the process lives and stays under 300 MB.
/// </summary>
[Slow]
public sealed class MalformedInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LoneIngress? _lone;

    [Fact]
    public async Task Every_bad_body_gets_a_4xx_and_the_ingress_stays_up_and_under_300_MB()
    {
        _lone = await LoneIngress.StartAsync(
            new InMemoryBroker(DaprNames.PubSub),
            new Dictionary<string, string>
            {
                ["Ingress__Destination"] = DaprStack.Destination,
                ["Logging__LogLevel__Default"] = "Warning",
            },
            mtls: DaprYaml.MtlsEnabled(),
            waitReady: p => p.WaitUntilAsync("/ready", TimeSpan.FromSeconds(90)));
        var ingress = _lone.Process;
        var bodies = new MalformedBodies(MalformedSuite.Seed, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        output.WriteLine($"MALFORMED_SEED={bodies.Seed} MALFORMED_COUNT={MalformedSuite.Count}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var report = await MalformedRun.RunAsync(new Uri(ingress.Address, "/api/v1/write"), ingress.Pid, bodies, MalformedSuite.Count, MalformedSuite.Concurrency, probes: 10, timeout.Token);
        output.WriteLine(report.Table("dapr ingress"));

        using var http = new HttpClient();
        using var health = await http.GetAsync(new Uri(ingress.Address, "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        MalformedSuite.AssertRefusedEverything(report, MalformedSuite.Count, ingress.HasExited);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xUnit 2 never calls the latter on a test class, which left this ingress running after CI.
    public async Task DisposeAsync()
    {
        if (_lone is not null)
        {
            await _lone.DisposeAsync();
        }
    }
}
