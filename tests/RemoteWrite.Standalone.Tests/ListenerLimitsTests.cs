using System.Net;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>
/// The listener's own limits (Receiver options applied to Kestrel, services/RemoteWrite.Receiver):
/// oversized headers, senders too slow with their headers or their body. Real Kestrel on loopback.
/// </summary>
public sealed class ListenerLimitsTests
{
    [Fact]
    public async Task Headers_over_the_limit_get_431()
    {
        var port = FreePort.Next();
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["Receiver:MaxRequestHeaderBytes"] = "2048", ["LISTENING_PORT"] = $"{port}" });
        using var client = relay.StartKestrel(port);
        await using var raw = await RawHttp.ConnectAsync(port);

        await raw.SendAsync(RawHttp.WriteHeaders(10, $"X-Padding: {new string('a', 4096)}\r\n"));

        var answer = await raw.ReadAnswerAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(answer);
        Assert.Equal(431, answer.Status);
    }

    [Fact]
    public async Task Headers_within_the_limit_are_served()
    {
        var port = FreePort.Next();
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["Receiver:MaxRequestHeaderBytes"] = "8192", ["LISTENING_PORT"] = $"{port}" });
        using var client = relay.StartKestrel(port);
        var body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 3));
        using var request = RemoteWriteBodies.Post(new Uri(client.BaseAddress!, "/api/v1/write"), body);
        request.Headers.Add("X-Padding", new string('a', 4096));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task A_sender_too_slow_with_its_headers_is_cut_off()
    {
        var port = FreePort.Next();
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["Receiver:HeadersTimeout"] = "00:00:01", ["LISTENING_PORT"] = $"{port}" });
        using var client = relay.StartKestrel(port);
        await using var raw = await RawHttp.ConnectAsync(port);

        await raw.SendAsync("POST /api/v1/write HTTP/1.1\r\nHost: 127.0.0.1\r\n");

        // Kestrel answers 408 and closes; it checks the timeout on a one-second heartbeat.
        var answer = await raw.ReadAnswerAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(408, answer?.Status);
        Assert.True(await raw.ClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_sender_trickling_its_body_below_the_minimum_rate_is_cut_off()
    {
        var port = FreePort.Next();
        using var relay = new RelayFactory(new Dictionary<string, string?>
        {
            ["Receiver:MinBodyBytesPerSecond"] = "1000",
            ["Receiver:MinBodyRateGracePeriod"] = "00:00:02",
            ["LISTENING_PORT"] = $"{port}",
        });
        using var client = relay.StartKestrel(port);
        await using var raw = await RawHttp.ConnectAsync(port);
        await raw.SendAsync(RawHttp.WriteHeaders(100_000));

        var cutOff = false;
        for (var i = 0; i < 100 && !cutOff; i++)
        {
            try
            {
                await raw.SendAsync(new byte[10]);
            }
            catch (IOException)
            {
                cutOff = true;
                break;
            }

            cutOff = await raw.ClosedWithinAsync(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(cutOff, "a body at ~100 B/s was still being read after 10 s");
        Assert.Empty(relay.Azure.Requests);
    }
}
