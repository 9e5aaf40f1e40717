using System.Net.Sockets;
using System.Text;

namespace RemoteWrite.Testing;

/// <summary>
/// HTTP/1.1 by hand over a socket, for what HttpClient will not do: send headers and hold the body
/// back, trickle bytes, send oversized headers, and read the answer before the body is sent.
/// </summary>
public sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawHttp(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawHttp> ConnectAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        return new RawHttp(client);
    }

    /// <summary>The request line and headers of a remote-write POST declaring <paramref name="contentLength"/> body bytes.</summary>
    public static string WriteHeaders(long contentLength, string extraHeaders = "") =>
        "POST /api/v1/write HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n" +
        $"X-Prometheus-Remote-Write-Version: 0.1.0\r\nContent-Length: {contentLength}\r\n{extraHeaders}\r\n";

    public async Task SendAsync(string text) => await SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>The status line and headers of the answer (lower-case names), or null when the server closed first.</summary>
    public async Task<RawAnswer?> ReadAnswerAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(buffer, cancel.Token);
            }
            catch (IOException)
            {
                read = 0; // reset by the server
            }

            if (read == 0)
            {
                return received.Length == 0 ? null : Parse(received.ToString());
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return Parse(received.ToString());
    }

    /// <summary>True when the server closes the connection within <paramref name="timeout"/> (after any answer).</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, cancel.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static RawAnswer Parse(string text)
    {
        var head = text[..Math.Max(0, text.IndexOf("\r\n\r\n", StringComparison.Ordinal))];
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var body = text[(head.Length + 4)..];
        return new RawAnswer(status, headers, body);
    }
}

public sealed record RawAnswer(int Status, IReadOnlyDictionary<string, string> Headers, string BodyStart);
