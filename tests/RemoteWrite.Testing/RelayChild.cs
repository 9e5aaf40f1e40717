namespace RemoteWrite.Testing;

/// <summary>The built relay as its own process on a free port, started and ready (<c>/ready</c> = 200: a token is held).</summary>
public sealed class RelayChild : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private RelayChild(IDictionary<string, string?> environment)
    {
        var port = FreePort.Next();
        var all = new Dictionary<string, string?>(environment) { ["LISTENING_PORT"] = port.ToString() };
        all.TryAdd("LOG_FORMAT", "text");
        Process = new ServiceProcess("RemoteWrite.Standalone", port, all);
    }

    public int Port => Process.Port;

    public Uri Address => Process.Address;

    public ServiceProcess Process { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <param name="environment">The relay's settings; a null value removes an inherited variable.</param>
    public static async Task<RelayChild> StartAsync(IDictionary<string, string?> environment)
    {
        var relay = new RelayChild(environment);
        try
        {
            relay.Process.Start();
            await relay.Process.WaitUntilAsync("/ready", ReadyTimeout);
            return relay;
        }
        catch
        {
            relay.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The relay writing to <paramref name="dcr"/> at the stand-in as a system-assigned managed
    /// identity (the stand-in's IMDS), plus <paramref name="more"/> settings.
    /// </summary>
    public static Task<RelayChild> StartAgainstAsync(LocalAzureProcess stand, string dcr, IDictionary<string, string?>? more = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = stand.IngestionUrl(dcr),
            ["IDENTITY_TYPE"] = "systemAssigned",
            ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = stand.HttpAddress.ToString().TrimEnd('/'),
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return StartAsync(environment);
    }

    /// <summary>Starts the relay again (after <see cref="ServiceProcess.Kill"/>) on the same port and waits until it is ready.</summary>
    public async Task RestartAsync()
    {
        Process.Start();
        await Process.WaitUntilAsync("/ready", ReadyTimeout);
    }

    public Task<HttpResponseMessage> WriteAsync(byte[] compressed) =>
        Http.SendAsync(RemoteWriteBodies.Post(new Uri(Address, "/api/v1/write"), compressed));

    public void Dispose()
    {
        Process.Dispose();
        Http.Dispose();
    }
}
