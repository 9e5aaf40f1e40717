using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>
/// A service run as a real child process (<c>dotnet path/X.dll</c>) on a fixed loopback port, so it
/// can be killed with SIGKILL and started again on the same address. Output is kept for diagnosis.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public ServiceProcess(string project, int port, IReadOnlyDictionary<string, string> environment)
    {
        _dll = RepoPaths.ServiceDll(project);
        Name = project;
        Port = port;
        _environment = environment;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name { get; }

    public int Port { get; }

    public Uri Address { get; }

    public int Pid => _process?.Id ?? 0;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet", [_dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
        };
        info.Environment["ASPNETCORE_URLS"] = Address.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["LOG_FORMAT"] = "text";
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Polls <paramref name="path"/> until it answers 2xx.</summary>
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

    /// <summary>SIGKILL: no shutdown, in-flight work is lost as in a crash.</summary>
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

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 2_000_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }
}
