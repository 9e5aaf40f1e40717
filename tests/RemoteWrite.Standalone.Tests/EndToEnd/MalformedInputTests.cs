using System.Net;
using RemoteWrite.Standalone.Tests.Infrastructure;
using RemoteWrite.Testing.Malformed;
using Xunit.Abstractions;

namespace RemoteWrite.Standalone.Tests.EndToEnd;

/// <summary>
/// Issue 10's malformed-input suite against the relay process: 10,000 generated bad bodies (seed printed),
/// eight at a time; each gets its 4xx, none a 5xx, the process lives and stays under 300 MB.
/// </summary>
[Slow]
[Collection(SerialCollection.Name)]
public sealed class MalformedInputTests(ITestOutputHelper output) : IDisposable
{
    private LocalAzureProcess? _stand;
    private RelayChild? _relay;

    [Fact]
    public async Task Every_bad_body_gets_a_4xx_and_the_relay_stays_up_and_under_300_MB()
    {
        _stand = await LocalAzureProcess.StartAsync();
        _relay = await RelayChild.StartAgainstAsync(_stand, "dcr-malformed", new Dictionary<string, string?> { ["Logging__LogLevel__Default"] = "Warning" });
        var bodies = new MalformedBodies(MalformedSuite.Seed, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        output.WriteLine($"MALFORMED_SEED={bodies.Seed} MALFORMED_COUNT={MalformedSuite.Count}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var report = await MalformedRun.RunAsync(new Uri(_relay.Address, "/api/v1/write"), _relay.Process.Pid, bodies, MalformedSuite.Count, MalformedSuite.Concurrency, probes: 10, timeout.Token);
        output.WriteLine(report.Table("standalone relay"));

        using var health = await _relay.Http.GetAsync(new Uri(_relay.Address, "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        MalformedSuite.AssertRefusedEverything(report, MalformedSuite.Count, _relay.Process.HasExited);
    }

    public void Dispose()
    {
        _relay?.Dispose();
        _stand?.Dispose();
    }
}
