using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>The real binary with a bad configuration: every problem on a line, exit code 1, no stack trace.</summary>
public sealed class StartupProcessTests
{
    [Fact]
    public async Task Invalid_configuration_exits_1_with_one_line_per_problem_and_no_stack_trace()
    {
        var (exitCode, stdout, error) = await ServiceProcess.RunToExitAsync("RemoteWrite.Standalone", new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = null,
            ["IDENTITY_TYPE"] = "aadApplication",
            ["CLOUD"] = "AzureMars",
        }, TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("  - INGESTION_URL (AzureMonitor:IngestionUrl) is required", error);
        Assert.Contains("  - CLOUD (Identity:Cloud) 'AzureMars'", error);
        Assert.Contains("  - AZURE_CLIENT_ID (Identity:ClientId) is required for IDENTITY_TYPE=aadApplication.", error);
        Assert.DoesNotContain("   at ", error + stdout);
    }
}
