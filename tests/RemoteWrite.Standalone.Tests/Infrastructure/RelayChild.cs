namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>The built relay as its own process on a free port, started and ready (<c>/ready</c> = 200: a token is held).</summary>
public sealed class RelayChild : IDisposable
{
    private RelayChild(IDictionary<string, string?> environment)
    {
        Port = ChildProcess.FreePort();
        environment["LISTENING_PORT"] = Port.ToString();
        environment.TryAdd("LOG_FORMAT", "text");
        Process = new ChildProcess(RelayProcess.StartInfo(environment));
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public ChildProcess Process { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<RelayChild> StartAsync(IDictionary<string, string?> environment)
    {
        var relay = new RelayChild(new Dictionary<string, string?>(environment));
        if (!await Poll.UntilOkAsync(relay.Http, new Uri(relay.Address, "/ready"), TimeSpan.FromSeconds(60)))
        {
            var log = relay.Process.Log;
            relay.Dispose();
            throw new InvalidOperationException("the relay did not become ready\n" + log);
        }

        return relay;
    }

    public Task<HttpResponseMessage> WriteAsync(byte[] compressed)
    {
        var request = Bodies.Write(compressed);
        request.RequestUri = new Uri(Address, "/api/v1/write");
        return Http.SendAsync(request);
    }

    public void Dispose()
    {
        Process.Dispose();
        Http.Dispose();
    }
}
