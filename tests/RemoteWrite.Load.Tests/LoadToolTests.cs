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

    [Fact]
    public void Parses_a_fixed_rate_and_churn_and_refuses_a_negative_rate()
    {
        var options = LoadOptions.Parse(["--url", "http://127.0.0.1:8081/api/v1/write", "--rate", "12.5", "--churn", "--first-body", "100", "--series", "10"]);
        Assert.Equal(12.5, options.Rate);
        Assert.True(options.Churn);
        Assert.Equal(100, options.FirstBody);
        Assert.Equal(10, options.SamplesPerRequest);
        Assert.False(LoadOptions.Parse(["--url", "http://127.0.0.1:8081/api/v1/write"]).Churn);
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--url", "http://127.0.0.1:8081/api/v1/write", "--rate", "-1"]));
    }

    [Fact]
    public void A_set_of_bodies_holds_new_series_in_every_body()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var bodies = BodyFactory.CreateSet(1, firstIndex: 40, count: 3, seriesCount: 50, samplesPerSeries: 1, now);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var body in bodies)
        {
            using var decoded = SnappyCodec.Decode(body);
            var request = Core.Protocol.V1.WriteRequest.Parser.ParseFrom(decoded.Span);
            Assert.Equal(50, request.Timeseries.Count);
            foreach (var series in request.Timeseries)
            {
                Assert.True(seen.Add(series.Labels.ToString()), "a series repeats across bodies");
            }
        }

        // The same index gives the same series again: a load that is not churn reuses them.
        Assert.Equal(bodies[1], BodyFactory.CreateSet(1, 41, 1, 50, 1, now)[0]);
    }

    [Fact]
    public void Latency_percentiles_are_nearest_rank_over_2xx_answers()
    {
        var latencies = Enumerable.Range(1, 100).Select(i => TimeSpan.FromMilliseconds(i)).Reverse().ToArray();
        var result = new LoadResult(new Dictionary<int, int> { [204] = 100, [503] = 3 }, 1000, TimeSpan.FromSeconds(1), new Dictionary<int, TimeSpan?>(), 10, latencies);
        Assert.Equal(TimeSpan.FromMilliseconds(50), result.LatencyPercentile(50));
        Assert.Equal(TimeSpan.FromMilliseconds(99), result.LatencyPercentile(99));
        Assert.Equal(100, result.Accepted);
        Assert.Equal(3, result.NotAccepted);
        Assert.Equal(TimeSpan.Zero, (result with { Latencies = [] }).LatencyPercentile(99));
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
        var result = await RunAgainstLoopbackAsync("--requests", "20", "--series", "10", "--concurrency", "2", "--max-seconds", "20");

        Assert.Equal(20, result.Statuses[204]);
        Assert.Equal(200, result.SamplesAccepted);
        Assert.Contains("samples accepted: 200", result.Format());
    }

    [Fact]
    public async Task A_fixed_rate_starts_requests_on_schedule_and_stops_at_the_time_limit()
    {
        // 20 requests per second for 1 s: requests 0..19 are due before the limit, whatever the concurrency allows.
        var result = await RunAgainstLoopbackAsync("--rate", "20", "--series", "10", "--concurrency", "16", "--max-seconds", "1");

        Assert.Equal(20, result.Statuses[204]);
        Assert.Equal(20, result.Latencies.Count);
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(0.9), $"20 requests at 20/s ended after {result.Elapsed.TotalSeconds:0.00} s");
    }

    // The load tool with these options against a tiny loopback receiver that answers 204 to every request.
    private static async Task<LoadResult> RunAgainstLoopbackAsync(params string[] options)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var server = ServeAsync(listener, stop.Token);

        using var client = new HttpClient();
        var result = await new LoadRunner(LoadOptions.Parse(["--url", $"http://127.0.0.1:{port}/api/v1/write", .. options]), client).RunAsync(CancellationToken.None);
        await stop.CancelAsync();
        await server;
        return result;
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
