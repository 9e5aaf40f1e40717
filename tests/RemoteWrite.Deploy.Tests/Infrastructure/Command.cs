using System.Diagnostics;

namespace RemoteWrite.Deploy.Tests.Infrastructure;

/// <summary>Runs a program to completion (bounded in time) and keeps what it printed.</summary>
public sealed record Command(int ExitCode, string Stdout, string Stderr)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public string Output => Stdout + Stderr;

    public static async Task<Command> RunAsync(string program, IEnumerable<string> arguments, string? stdin = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(Tool.Find(program) ?? program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} ran longer than {Timeout}");
        }

        return new Command(process.ExitCode, await stdout, await stderr);
    }
}
