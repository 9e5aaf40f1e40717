using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RemoteWrite.Testing;

/// <summary>
/// The local Azure stand-in as its own process on free loopback ports: http (ingestion, IMDS,
/// admin) and https (the Entra authority), with the CA bundle it writes for <c>SSL_CERT_FILE</c>.
/// </summary>
public sealed class LocalAzureProcess : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("stand-in-").FullName;

    /// <param name="settings">Over the defaults below; a null value removes the variable.</param>
    public LocalAzureProcess(IReadOnlyDictionary<string, string?>? settings = null)
    {
        HttpPort = FreePort.Next();
        HttpsPort = FreePort.Next();
        var environment = new Dictionary<string, string?>
        {
            ["LocalAzure__HttpPort"] = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LocalAzure__HttpsPort"] = HttpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LocalAzure__DataDirectory"] = _work,
            ["LOG_FORMAT"] = "text",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        Process = new ServiceProcess("RemoteWrite.LocalAzure", HttpPort, environment);
    }

    public ServiceProcess Process { get; }

    public int HttpPort { get; }

    public int HttpsPort { get; }

    /// <summary>Plain http: ingestion, IMDS (<c>AZURE_POD_IDENTITY_AUTHORITY_HOST</c>), admin.</summary>
    public Uri HttpAddress => Process.Address;

    /// <summary>The Entra authority host (Azure.Identity requires https).</summary>
    public Uri HttpsAddress => new($"https://127.0.0.1:{HttpsPort}");

    /// <summary>System CAs plus the stand-in's CA, for <c>SSL_CERT_FILE</c>: validation stays on.</summary>
    public string CaBundlePath => Path.Combine(_work, "ca-bundle.pem");

    public HttpClient Admin { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string OutputTail => Process.OutputTail;

    /// <summary>Started and answering <c>/health</c>.</summary>
    public static async Task<LocalAzureProcess> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var stand = new LocalAzureProcess(settings);
        try
        {
            stand.Process.Start();
            await stand.WaitHealthyAsync();
            return stand;
        }
        catch
        {
            stand.Dispose();
            throw;
        }
    }

    public Task WaitHealthyAsync() => WaitHealthyAsync(TimeSpan.FromSeconds(60));

    public Task WaitHealthyAsync(TimeSpan timeout) => Process.WaitUntilAsync("/health", timeout);

    public string IngestionUrl(string dcr) => HttpAddress + RemoteWriteBodies.IngestionPath(dcr).TrimStart('/');

    public async Task RegisterAppAsync(string clientId, string? secret = null, string? certificatePem = null)
    {
        using var response = await Admin.PostAsJsonAsync(new Uri(HttpAddress, "/admin/apps"), new { clientId, clientSecret = secret, certificatePem });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Sets the fault plan (<c>POST /admin/faults</c>).</summary>
    public async Task SetFaultAsync(string json)
    {
        using var response = await Admin.PostAsync(new Uri(HttpAddress, "/admin/faults"), new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Whether a fault plan is still in force (<c>GET /admin/faults</c>: 200 with the plan, 204 without).</summary>
    public async Task<bool> FaultActiveAsync()
    {
        using var response = await Admin.GetAsync(new Uri(HttpAddress, "/admin/faults"));
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>The totals of <c>/admin/stats</c>.</summary>
    public async Task<JsonElement> StatsAsync() => await Admin.GetFromJsonAsync<JsonElement>(new Uri(HttpAddress, "/admin/stats"));

    /// <summary>Samples stored for one DCR.</summary>
    public async Task<long> StoredSamplesAsync(string dcr) =>
        (await StatsAsync()).GetProperty("byDcr").TryGetProperty(dcr, out var d) ? d.GetProperty("samples").GetInt64() : 0;

    /// <summary>Requests accepted for one DCR.</summary>
    public async Task<long> StoredRequestsAsync(string dcr) =>
        (await StatsAsync()).GetProperty("byDcr").TryGetProperty(dcr, out var d) ? d.GetProperty("accepted").GetInt64() : 0;

    /// <summary>Requests refused with <paramref name="status"/>, over all DCRs.</summary>
    public async Task<long> RejectedAsync(int status) =>
        (await StatsAsync()).GetProperty("total").GetProperty("rejected").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var n) ? n.GetInt64() : 0;

    /// <summary>Tokens issued for one credential: <c>imds</c>, <c>secret</c>, or <c>x5t#S256:&lt;thumbprint&gt;</c>.</summary>
    public async Task<long> TokensIssuedAsync(string credential) =>
        (await StatsAsync()).GetProperty("tokens").GetProperty("byCredential").TryGetProperty(credential, out var n) ? n.GetInt64() : 0;

    public void Dispose()
    {
        Process.Dispose();
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
