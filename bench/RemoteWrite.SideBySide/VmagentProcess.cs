using System.Diagnostics;
using System.Globalization;
using RemoteWrite.Testing;

namespace RemoteWrite.SideBySide;

/// <summary>
/// Debian's vmagent (<c>victoria-metrics</c> 1.79) on a free loopback port, remote-writing to one URL with a
/// bearer token, its queue in a temporary directory.
/// </summary>
internal sealed class VmagentProcess : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("vmagent-").FullName;
    private readonly ProcessOutput _output = new();
    private readonly Process _process;

    private VmagentProcess(string remoteWriteUrl, string bearerToken)
    {
        Port = FreePort.Next();
        var start = new ProcessStartInfo(VmagentBinary.Path)
        {
            ArgumentList =
            {
                $"-httpListenAddr=127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}",
                $"-remoteWrite.url={remoteWriteUrl}",
                $"-remoteWrite.bearerToken={bearerToken}",
                $"-remoteWrite.tmpDataPath={_work}",
                // Blocks go out when full (-remoteWrite.maxRowsPerBlock, 10,000 samples: defaults kept) or after
                // this long: 100 ms rather than 1 s, so the end of a round is delivered soon after its last answer.
                "-remoteWrite.flushInterval=100ms",
                "-loggerLevel=WARN",
            },
            WorkingDirectory = _work,
        };
        _process = new Process { StartInfo = start };
        _output.Attach(_process);
        _process.Start();
        ProcessOutput.BeginReading(_process);
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public Uri WriteUrl => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/api/v1/write");

    public string OutputTail => _output.Tail();

    /// <summary>Started and answering <c>/health</c>.</summary>
    public static async Task<VmagentProcess> StartAsync(string remoteWriteUrl, string bearerToken)
    {
        var vmagent = new VmagentProcess(remoteWriteUrl, bearerToken);
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var healthy = await Poll.UntilAsync(async () =>
            {
                if (vmagent._process.HasExited)
                {
                    throw new InvalidOperationException($"vmagent exited with {vmagent._process.ExitCode}:\n{vmagent.OutputTail}");
                }

                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{vmagent.Port.ToString(CultureInfo.InvariantCulture)}/health"));
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(30));
            return healthy ? vmagent : throw new TimeoutException($"vmagent did not answer /health within 30 s:\n{vmagent.OutputTail}");
        }
        catch
        {
            vmagent.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temporary directory
        }
    }
}
