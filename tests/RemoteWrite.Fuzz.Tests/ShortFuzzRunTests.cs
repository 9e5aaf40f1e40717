using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace RemoteWrite.Fuzz.Tests;

/// <summary>
/// CI's bounded fuzz run (issue 10): AFL++ on the receiver's whole path (snappy, 2.0 conversion, scan,
/// filters, split) for 45 s. The longer run and its findings are in tests/RemoteWrite.Fuzz/README.md.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed partial class ShortFuzzRunTests(ITestOutputHelper output)
{
    private const int Seconds = 45;

    [AflFact]
    public async Task Core_survives_45_seconds_of_AFL_on_the_prepare_path_with_no_crash()
    {
        var work = Directory.CreateTempSubdirectory("rw-fuzz-").FullName;
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(RepoPaths.Root, "tests", "RemoteWrite.Fuzz", "run.sh"), Seconds.ToString(CultureInfo.InvariantCulture), "prepare", work },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["FUZZ_BIN"] = Path.Combine(RepoPaths.Root, "tests", "RemoteWrite.Fuzz", "bin", RepoPaths.Configuration, "net10.0") },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Seconds + 120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // afl-fuzz and the harness with it
            throw;
        }

        var text = await stdout + await stderr;
        output.WriteLine(text);

        var total = TotalLine().Match(text);
        Assert.True(total.Success, "run.sh printed no total:\n" + text);
        var execs = long.Parse(total.Groups["execs"].Value, CultureInfo.InvariantCulture);
        var crashes = long.Parse(total.Groups["crashes"].Value, CultureInfo.InvariantCulture);
        Assert.True(execs > 0, "AFL ran no input:\n" + text);
        Assert.True(crashes == 0, $"AFL saved {crashes} crash(es) (reproduce with the command below):\n{text}");
        Assert.Equal(0, process.ExitCode);
        Directory.Delete(work, recursive: true);
    }

    [GeneratedRegex(@"FUZZ total execs=(?<execs>\d+) crashes=(?<crashes>\d+)")]
    private static partial Regex TotalLine();
}
