using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace RemoteWrite.Testing;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port with its data in a temp directory, started with
/// the shipped components/redis.conf (append-only file on). <see cref="Kill"/> is SIGKILL;
/// <see cref="Start"/> again reloads the AOF from the same directory on the same port.
/// </summary>
public sealed class RedisServerProcess : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("redis-").FullName;
    private readonly ProcessOutput _output = new();
    private readonly IReadOnlyList<string> _extra;
    private Process? _process;

    /// <param name="extraArguments">More <c>--name value</c> settings over the file, e.g. <c>--appendfsync everysec</c>.</param>
    public RedisServerProcess(params string[] extraArguments)
    {
        Port = FreePort.Next();
        _extra = extraArguments;
    }

    public int Port { get; }

    /// <summary>host:port, as <c>redisHost</c> takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public string DataDirectory => _dir;

    public int Pid => _process?.Id ?? 0;

    public string OutputTail => _output.Tail();

    public static RedisServerProcess StartNew(params string[] extraArguments)
    {
        var redis = new RedisServerProcess(extraArguments);
        try
        {
            redis.Start();
            return redis;
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    }

    /// <summary>Starts redis-server and waits until it answers PING (after loading its AOF).</summary>
    public void Start()
    {
        var binary = RedisServerBinary.Path ?? throw new InvalidOperationException("redis-server is not installed");
        var start = new ProcessStartInfo(binary) { WorkingDirectory = _dir };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Components, "redis.conf"));
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--dir", _dir, "--daemonize", "no", "--bind", "127.0.0.1" }.Concat(_extra))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        _output.Attach(process);
        process.Start();
        ProcessOutput.BeginReading(process);
        _process?.Dispose();
        _process = process;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode}:\n{_output.Text}");
            }

            if (Command("PING").StartsWith("+PONG", StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"redis-server did not answer PING within 30 s:\n{_output.Text}");
    }

    /// <summary>SIGKILL: no shutdown, no final AOF flush or fsync.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(10_000);
        }
    }

    /// <summary>One inline command's raw RESP answer ("" when Redis is not reachable), for readiness and INFO.</summary>
    public string Command(string inline)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            client.ReceiveTimeout = 5000;
            using var stream = client.GetStream();
            stream.Write(Encoding.ASCII.GetBytes(inline + "\r\n"));
            var buffer = new byte[1 << 16];
            var text = new StringBuilder();
            do
            {
                var n = stream.Read(buffer);
                if (n == 0)
                {
                    break;
                }

                text.Append(Encoding.UTF8.GetString(buffer, 0, n));
                Thread.Sleep(5);
            }
            while (client.Available > 0 || !Complete(text.ToString()));

            return text.ToString();
        }
        catch (SocketException)
        {
            return "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>A field of <c>INFO</c> (e.g. <c>used_memory</c>, <c>aof_enabled</c>).</summary>
    public string? Info(string field)
    {
        foreach (var line in Command("INFO").Split("\r\n"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return line[(field.Length + 1)..];
            }
        }

        return null;
    }

    public long InfoLong(string field) => long.Parse(Info(field) ?? "0", CultureInfo.InvariantCulture);

    // A simple reply ends at its first CRLF; a bulk string ($n) after n more bytes.
    private static bool Complete(string resp)
    {
        if (resp.Length == 0)
        {
            return false;
        }

        if (resp[0] != '$')
        {
            return resp.EndsWith("\r\n", StringComparison.Ordinal);
        }

        var header = resp.IndexOf("\r\n", StringComparison.Ordinal);
        if (header < 0)
        {
            return false;
        }

        var length = int.Parse(resp[1..header], CultureInfo.InvariantCulture);
        return length < 0 || Encoding.UTF8.GetByteCount(resp) >= header + 2 + length + 2;
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }
}
