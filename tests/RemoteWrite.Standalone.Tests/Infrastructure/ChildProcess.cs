using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>A child process whose output is kept (for failure messages) and which is killed on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly StringBuilder _log = new();

    public ChildProcess(ProcessStartInfo start)
    {
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        Process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + start.FileName);
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.Length <= 6000 ? _log.ToString() : _log.ToString(_log.Length - 6000, 6000);
            }
        }
    }

    /// <summary>SIGKILL: no graceful shutdown, as <c>kill -9</c>.</summary>
    public void KillHard()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(10_000);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sum of every series of a metric in Prometheus text format.</summary>
    public static double SumMetric(string text, string name) =>
        text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    public void Dispose()
    {
        KillHard();
        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
