using System.Diagnostics;
using System.Globalization;

namespace RemoteWrite.Testing;

/// <summary>
/// A service run from its build output as a real child process (<c>dotnet path/X.dll</c>) on a fixed
/// loopback port, so it can be killed with SIGKILL and started again on the same address. Output is
/// kept (across restarts) for diagnosis.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly ProcessOutput _output = new();
    private Process? _process;

    /// <param name="port">Where the service listens; the caller tells the service so through <paramref name="environment"/>.</param>
    /// <param name="environment">Over <see cref="StartInfo"/>'s defaults; a null value removes an inherited variable.</param>
    public ServiceProcess(string project, int port, IReadOnlyDictionary<string, string?> environment)
    {
        _ = RepoPaths.ServiceDll(project); // fail here, with a hint, when the service was not built
        Name = project;
        Port = port;
        _environment = environment;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name { get; }

    /// <summary>The settings it runs with (over <see cref="StartInfo"/>'s defaults), e.g. to run its <c>check</c> command alike.</summary>
    public IReadOnlyDictionary<string, string?> Environment => _environment;

    public int Port { get; }

    public Uri Address { get; }

    public int Pid => _process?.Id ?? 0;

    public bool HasExited => _process is { HasExited: true };

    /// <summary>Everything kept of stdout and stderr.</summary>
    public string Output => _output.Text;

    /// <summary>The end of the output, for failure messages.</summary>
    public string OutputTail => _output.Tail();

    /// <summary>
    /// <c>dotnet X.dll</c> in the service's output directory, in the Production environment (as deployed)
    /// unless <paramref name="environment"/> says otherwise; a null value removes an inherited variable.
    /// </summary>
    public static ProcessStartInfo StartInfo(string project, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var dll = RepoPaths.ServiceDllPath(project);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>Runs the service until it exits by itself (a start-up that must fail): its exit code and output.</summary>
    /// <param name="arguments">After the dll, e.g. <c>check</c>.</param>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(string project, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(project, environment, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{project} did not exit within {timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the process (again, after <see cref="Kill"/>: same port, same environment).</summary>
    public void Start()
    {
        var process = new Process { StartInfo = StartInfo(Name, _environment), EnableRaisingEvents = true };
        _output.Attach(process);
        process.Start();
        ProcessOutput.BeginReading(process);
        _process?.Dispose();
        _process = process;
    }

    /// <summary>Polls <paramref name="path"/> until it answers 2xx; fails at once if the process exited.</summary>
    public async Task WaitUntilAsync(string path, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var ok = await Poll.UntilAsync(async () =>
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            }

            using var response = await client.GetAsync(new Uri(Address, path));
            return response.IsSuccessStatusCode;
        }, timeout);
        Assert.True(ok, $"{Name} did not answer 2xx on {path} within {timeout.TotalSeconds:0} s. Output:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown, in-flight work is lost as in a crash (<c>kill -9</c>).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
    }

    /// <summary>User plus system CPU time of the process so far, from /proc/&lt;pid&gt;/stat (clock ticks, 100 per second on Linux).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime field 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }
}
