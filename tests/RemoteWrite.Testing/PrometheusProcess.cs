using System.Diagnostics;

namespace RemoteWrite.Testing;

/// <summary>
/// A real Prometheus (Debian's 2.42) as a child process on a free loopback port, with a config the
/// test writes and its own TSDB in a temp directory; killed and cleaned up on dispose.
/// </summary>
public sealed class PrometheusProcess : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("prometheus-").FullName;
    private readonly ProcessOutput _output = new();
    private Process? _process;

    /// <summary>Its web port (for a config that scrapes Prometheus itself).</summary>
    public int Port { get; } = FreePort.Next();

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public string Output => _output.Text;

    public string OutputTail => _output.Tail();

    public bool HasExited => _process is { HasExited: true };

    /// <summary>
    /// Writes <paramref name="configYaml"/> as its <c>--config.file</c> and starts it with any
    /// <paramref name="extraArguments"/> (e.g. <c>--web.enable-remote-write-receiver</c>); fails without the binary.
    /// </summary>
    public void Start(string configYaml, params string[] extraArguments)
    {
        var binary = PrometheusBinary.Path ?? throw new InvalidOperationException("CI=true: the prometheus binary is required (apt-get install prometheus)");
        var config = Path.Combine(_work, "prometheus.yml");
        File.WriteAllText(config, configYaml);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(binary)
            {
                ArgumentList =
                {
                    $"--config.file={config}",
                    $"--web.listen-address=127.0.0.1:{Port}",
                    $"--storage.tsdb.path={Path.Combine(_work, "tsdb")}",
                },
            },
        };
        foreach (var argument in extraArguments)
        {
            process.StartInfo.ArgumentList.Add(argument);
        }

        _output.Attach(process);
        process.Start();
        ProcessOutput.BeginReading(process);
        _process = process;
    }

    /// <summary>
    /// Rewrites the config and reloads it (SIGHUP), waiting until Prometheus logs the reload. A remote_write
    /// section left unchanged keeps its queue (and its counters), so e.g. dropping the scrape configs stops new
    /// samples while what is queued is still sent.
    /// </summary>
    public async Task ReloadAsync(string configYaml, TimeSpan timeout)
    {
        if (_process is not { HasExited: false } p)
        {
            throw new InvalidOperationException("prometheus is not running");
        }

        const string Loaded = "Completed loading of configuration file";
        var before = Count(Output, Loaded);
        File.WriteAllText(Path.Combine(_work, "prometheus.yml"), configYaml);
        using (var hup = Process.Start("kill", ["-HUP", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await hup.WaitForExitAsync();
        }

        Assert.True(await Poll.UntilAsync(() => Task.FromResult(Count(Output, Loaded) > before), timeout), "prometheus did not reload its config:\n" + OutputTail);

        static int Count(string text, string what)
        {
            var n = 0;
            for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            {
                n++;
            }

            return n;
        }
    }

    /// <summary>Its own <c>/metrics</c> in text format (see <see cref="PrometheusText"/>).</summary>
    public Task<string> MetricsAsync(HttpClient http) => http.GetStringAsync(new Uri(Address, "/metrics"));

    /// <summary>
    /// SIGTERM, then waits for the exit (SIGKILL after <paramref name="timeout"/>): Prometheus stops scraping and its
    /// remote-write queues finish the request in flight and send what they hold (<c>flush_deadline</c>, 1 min), so
    /// every request it sent got an answer. A SIGKILL instead cuts one off mid-publish, which the receiver may have
    /// stored without acknowledging it, or counted without storing it.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } p)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>SIGKILL, as the other child processes.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }
}
