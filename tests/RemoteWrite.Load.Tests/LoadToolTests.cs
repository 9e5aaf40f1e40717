using System.Net;
using System.Net.Sockets;
using System.Text;
using RemoteWrite.Core.Codec;
using RemoteWrite.Core.Scanning;

namespace RemoteWrite.Load.Tests;

public sealed class LoadToolTests
{
    [Fact]
    public void Refuses_targets_off_this_machine()
    {
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--url", "http://10.0.0.5:8081/api/v1/write"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--url", "http://example.com/api/v1/write"]));
        var options = LoadOptions.Parse(["--url", "http://127.0.0.1:8081/api/v1/write", "--pid", "1", "--pid", "2", "--protocol", "2"]);
        Assert.Equal([1, 2], options.Pids);
        Assert.Equal(2, options.Protocol);
    }

    [Fact]
    public void Reads_cpu_from_a_proc_stat_line_whose_name_has_spaces()
    {
        // Fields 14 (utime) and 15 (stime) after the command name: 150 + 50 ticks = 2 s.
        const string stat = "4242 (dotnet my app) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 12 0 100 0 0";
        Assert.Equal(TimeSpan.FromSeconds(2), ProcessCpu.Parse(stat));
        Assert.NotNull(ProcessCpu.Read(Environment.ProcessId));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Bodies_are_valid_remote_write_stamped_now(int protocol)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var body = BodyFactory.Create(protocol, 3, 100, 2, now);
        using var decoded = SnappyCodec.Decode(body);
        using var v1 = protocol == 2 ? Core.Conversion.V2ToV1Converter.Convert(decoded.Span, 1 << 24) : Core.Buffers.PooledBuffer.CopyOf(decoded.Span);
        using var scanner = new WriteRequestScanner();
        var summary = scanner.Scan(v1.Span);
        Assert.Equal(100, summary.Series);
        Assert.Equal(200, summary.Samples);
        Assert.Equal(now, summary.MaxTimestamp);
    }

    [Fact]
    public async Task Sends_a_bounded_number_of_requests_and_counts_answers()
    {
        // A tiny loopback receiver that answers 204 to every request.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var server = ServeAsync(listener, stop.Token);

        var options = LoadOptions.Parse(["--url", $"http://127.0.0.1:{port}/api/v1/write", "--requests", "20", "--series", "10", "--concurrency", "2", "--max-seconds", "20"]);
        using var client = new HttpClient();
        var result = await new LoadRunner(options, client).RunAsync(CancellationToken.None);

        Assert.Equal(20, result.Statuses[204]);
        Assert.Equal(200, result.SamplesAccepted);
        Assert.Contains("samples accepted: 200", result.Format());
        await stop.CancelAsync();
        await server;
    }

    private static async Task ServeAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var socket = await listener.AcceptTcpClientAsync(cancellationToken);
                connections.Add(Task.Run(() => AnswerAsync(socket, cancellationToken), cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(connections.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    // Minimal HTTP/1.1: read headers and Content-Length bytes, answer 204, keep the connection.
    private static async Task AnswerAsync(TcpClient socket, CancellationToken cancellationToken)
    {
        using (socket)
        {
            var stream = socket.GetStream();
            var buffer = new byte[1 << 20];
            var filled = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                var headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                if (headerEnd < 0)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                    continue;
                }

                var headers = Encoding.ASCII.GetString(buffer, 0, headerEnd);
                var lengthLine = headers.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                var total = headerEnd + 4 + length;
                while (filled < total)
                {
                    filled += await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                }

                await stream.WriteAsync("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), cancellationToken);
                buffer.AsSpan(total, filled - total).CopyTo(buffer);
                filled -= total;
            }
        }
    }
}
