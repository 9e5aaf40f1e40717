using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>
/// The local Azure stand-in as its own process on free loopback ports: http (ingestion, IMDS,
/// admin) and https (the Entra authority), with the CA bundle it writes for <c>SSL_CERT_FILE</c>.
/// </summary>
public sealed class StandInProcess : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("stand-in-").FullName;
    private readonly ChildProcess _process;

    private StandInProcess(IDictionary<string, string?>? settings)
    {
        HttpPort = ChildProcess.FreePort();
        HttpsPort = ChildProcess.FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["LocalAzure__HttpPort"] = HttpPort.ToString(),
            ["LocalAzure__HttpsPort"] = HttpsPort.ToString(),
            ["LocalAzure__DataDirectory"] = _work,
            ["LOG_FORMAT"] = "text",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        _process = new ChildProcess(RelayProcess.StartInfo("RemoteWrite.LocalAzure", environment));
    }

    public int HttpPort { get; }

    public int HttpsPort { get; }

    /// <summary>Plain http: ingestion, IMDS (<c>AZURE_POD_IDENTITY_AUTHORITY_HOST</c>), admin.</summary>
    public Uri Http => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>The Entra authority host (Azure.Identity requires https, CONTRACT §2a).</summary>
    public Uri Https => new($"https://127.0.0.1:{HttpsPort}");

    /// <summary>System CAs plus the stand-in's CA, for <c>SSL_CERT_FILE</c>: validation stays on.</summary>
    public string CaBundlePath => Path.Combine(_work, "ca-bundle.pem");

    public HttpClient Admin { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Log => _process.Log;

    public static async Task<StandInProcess> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var stand = new StandInProcess(settings);
        if (!await Poll.UntilOkAsync(stand.Admin, new Uri(stand.Http, "/health"), TimeSpan.FromSeconds(60)))
        {
            var log = stand.Log;
            stand.Dispose();
            throw new InvalidOperationException("the stand-in did not start\n" + log);
        }

        return stand;
    }

    public string IngestionUrl(string dcr) =>
        $"{Http}dataCollectionRules/{dcr}/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24";

    public async Task RegisterAppAsync(string clientId, string? secret = null, string? certificatePem = null)
    {
        using var response = await Admin.PostAsJsonAsync(new Uri(Http, "/admin/apps"), new { clientId, clientSecret = secret, certificatePem });
        response.EnsureSuccessStatusCode();
    }

    public async Task SetFaultAsync(string json)
    {
        using var response = await Admin.PostAsync(new Uri(Http, "/admin/faults"), new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> StatsAsync() => await Admin.GetFromJsonAsync<JsonElement>(new Uri(Http, "/admin/stats"));

    /// <summary>Samples stored for one DCR.</summary>
    public async Task<long> StoredSamplesAsync(string dcr) =>
        (await StatsAsync()).GetProperty("byDcr").TryGetProperty(dcr, out var d) ? d.GetProperty("samples").GetInt64() : 0;

    /// <summary>Tokens issued for one credential: <c>imds</c>, <c>secret</c>, or <c>x5t#S256:&lt;thumbprint&gt;</c>.</summary>
    public async Task<long> TokensIssuedAsync(string credential) =>
        (await StatsAsync()).GetProperty("tokens").GetProperty("byCredential").TryGetProperty(credential, out var n) ? n.GetInt64() : 0;

    public void Dispose()
    {
        _process.Dispose();
        Admin.Dispose();
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
