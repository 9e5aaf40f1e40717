using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Check;

/// <summary>
/// <c>dotnet RemoteWrite.Standalone.dll check</c>, the built relay as a process, against the local Azure
/// stand-in and its faults: one line per endpoint naming what is wrong, exit code 0 only when all pass,
/// never the token.
/// </summary>
[Slow]
public sealed class CheckCommandProcessTests : IDisposable
{
    private const string Dcr = "dcr-check";
    private LocalAzureProcess? _stand;

    [Fact]
    public async Task Passes_against_a_healthy_stand_in_and_names_each_fault()
    {
        _stand = await LocalAzureProcess.StartAsync();
        var url = _stand.IngestionUrl(Dcr);

        var ok = await CheckAsync(url);
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains("OK    default " + url, ok.Output);
        Assert.Equal(1, await _stand.StoredRequestsAsync(Dcr));

        await _stand.SetFaultAsync("""{"status":403,"requests":1,"target":"ingestion"}""");
        var role = await CheckAsync(url);
        Assert.Equal(1, role.ExitCode);
        Assert.Contains("FAIL  default " + url + ": role:", role.Output);
        Assert.Contains("up to 30 minutes", role.Output);

        await _stand.SetFaultAsync("""{"status":401,"requests":1,"target":"ingestion"}""");
        var token = await CheckAsync(url);
        Assert.Equal(1, token.ExitCode);
        Assert.Contains(": token:", token.Output);

        var dns = await CheckAsync("http://no-such-host.invalid" + RemoteWriteBodies.IngestionPath(Dcr));
        Assert.Equal(1, dns.ExitCode);
        Assert.Contains(": DNS/network: DNS", dns.Output);

        var tls = await CheckAsync($"https://127.0.0.1:{_stand.HttpsPort}" + RemoteWriteBodies.IngestionPath(Dcr));
        Assert.Equal(1, tls.ExitCode);
        Assert.Contains(": TLS:", tls.Output);

        var path = await CheckAsync(new Uri(_stand.HttpAddress, "/nothing-here").ToString());
        Assert.Equal(1, path.ExitCode);
        Assert.Contains(": URL:", path.Output);

        foreach (var run in new[] { ok, role, token, dns, tls, path })
        {
            Assert.DoesNotContain("eyJ", run.Output); // a JWT's first bytes: no token printed
        }
    }

    [Fact]
    public async Task An_invalid_option_is_reported_with_exit_code_1_before_anything_is_sent()
    {
        var run = await ServiceProcess.RunToExitAsync("RemoteWrite.Standalone", new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = "not a url",
            ["IDENTITY_TYPE"] = "systemAssigned",
        }, TimeSpan.FromSeconds(60), "check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("INGESTION_URL", run.Stderr);
    }

    private async Task<(int ExitCode, string Output)> CheckAsync(string ingestionUrl)
    {
        var run = await ServiceProcess.RunToExitAsync("RemoteWrite.Standalone", new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = ingestionUrl,
            ["IDENTITY_TYPE"] = "systemAssigned",
            ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = _stand!.HttpAddress.ToString().TrimEnd('/'),
            ["LOG_FORMAT"] = "text",
        }, TimeSpan.FromSeconds(90), "check");
        return (run.ExitCode, run.Stdout + run.Stderr);
    }

    public void Dispose() => _stand?.Dispose();
}
