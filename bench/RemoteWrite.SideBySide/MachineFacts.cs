using System.Diagnostics;

namespace RemoteWrite.SideBySide;

/// <summary>What machine a run was on: cores and CPU model (/proc/cpuinfo), load average (/proc/loadavg), the commit measured.</summary>
internal sealed record MachineFacts(int Cores, string CpuModel)
{
    public static MachineFacts Read()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return new MachineFacts(Environment.ProcessorCount, model ?? "unknown CPU");
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The checked-out commit (short), with <c>+changes</c> when the tree differs from it.</summary>
    public static string Commit(string repository)
    {
        var head = Git(repository, "rev-parse --short HEAD");
        var dirty = Git(repository, "status --porcelain --untracked-files=no");
        return head is null ? "unknown" : string.IsNullOrWhiteSpace(dirty) ? head : head + "+changes";
    }

    private static string? Git(string repository, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = repository, RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit(10_000);
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }
}
