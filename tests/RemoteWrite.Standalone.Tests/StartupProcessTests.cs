using System.Diagnostics;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>The real binary with a bad configuration: every problem on a line, exit code 1, no stack trace.</summary>
public sealed class StartupProcessTests
{
    [Fact]
    public async Task Invalid_configuration_exits_1_with_one_line_per_problem_and_no_stack_trace()
    {
        var start = ServiceProcess.StartInfo("RemoteWrite.Standalone", new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = null,
            ["IDENTITY_TYPE"] = "aadApplication",
            ["CLOUD"] = "AzureMars",
        });
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        var error = await stderr;
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("  - INGESTION_URL (AzureMonitor:IngestionUrl) is required", error);
        Assert.Contains("  - CLOUD (Identity:Cloud) 'AzureMars'", error);
        Assert.Contains("  - AZURE_CLIENT_ID (Identity:ClientId) is required for IDENTITY_TYPE=aadApplication.", error);
        Assert.DoesNotContain("   at ", error + await stdout);
    }
}
