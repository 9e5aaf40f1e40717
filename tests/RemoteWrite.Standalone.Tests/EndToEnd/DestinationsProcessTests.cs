using System.Net;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.EndToEnd;

/// <summary>
/// The relay process with DESTINATIONS_FILE fanning out to two stand-in processes (two Azures), each
/// destination with its own application identity at its own authority: each stand-in's Entra ID
/// issues tokens to its own client only, one in outage answers 503 while the other still stores,
/// and Prometheus' resend delivers to both.
/// </summary>
[Slow]
public sealed class DestinationsProcessTests : IDisposable
{
    private const string Tenant = "00000000-0000-0000-0000-00000000a2e0";
    private const string ClientA = "5d1e0c2a-0000-4000-8000-00000000000a";
    private const string ClientB = "5d1e0c2a-0000-4000-8000-00000000000b";
    private readonly string _work = Directory.CreateTempSubdirectory("destinations-").FullName;
    private LocalAzureProcess? _azureA;
    private LocalAzureProcess? _azureB;
    private RelayChild? _relay;

    [Fact]
    public async Task Fan_out_to_two_Azures_each_with_its_own_identity_survives_one_in_outage()
    {
        _azureA = await LocalAzureProcess.StartAsync();
        _azureB = await LocalAzureProcess.StartAsync();
        await _azureA.RegisterAppAsync(ClientA, secret: "secret-a");
        await _azureB.RegisterAppAsync(ClientB, secret: "secret-b");

        // One CA bundle that trusts both stand-ins' authorities (validation stays on).
        var bundle = Path.Combine(_work, "ca-bundle.pem");
        await File.WriteAllTextAsync(bundle, await File.ReadAllTextAsync(_azureA.CaBundlePath) + "\n" + await File.ReadAllTextAsync(_azureB.CaBundlePath));
        var file = Path.Combine(_work, "destinations.yaml");
        await File.WriteAllTextAsync(file, $"""
            mode: fanout
            destinations:
              - name: a
                endpoints: ["{_azureA.IngestionUrl("dcr-a")}"]
                identity:
                  IDENTITY_TYPE: aadApplication
                  AZURE_CLIENT_ID: {ClientA}
                  AZURE_TENANT_ID: {Tenant}
                  AZURE_CLIENT_SECRET: secret-a
                  AZURE_AUTHORITY_HOST: {_azureA.HttpsAddress}
              - name: b
                endpoints: ["{_azureB.IngestionUrl("dcr-b")}"]
                identity:
                  IDENTITY_TYPE: aadApplication
                  AZURE_CLIENT_ID: {ClientB}
                  AZURE_TENANT_ID: {Tenant}
                  AZURE_CLIENT_SECRET: secret-b
                  AZURE_AUTHORITY_HOST: {_azureB.HttpsAddress}
            """);
        _relay = await RelayChild.StartAsync(new Dictionary<string, string?>
        {
            ["DESTINATIONS_FILE"] = file,
            ["SSL_CERT_FILE"] = bundle,
            ["AzureMonitor__MaxRetries"] = "0",
        });
        var body = RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 6, samplesPerSeries: 2));

        using (var both = await _relay.WriteAsync(body))
        {
            Assert.Equal(HttpStatusCode.NoContent, both.StatusCode);
        }

        Assert.Equal(12, await _azureA.StoredSamplesAsync("dcr-a"));
        Assert.Equal(12, await _azureB.StoredSamplesAsync("dcr-b"));
        Assert.Equal([ClientA], await ClientsAsync(_azureA));
        Assert.Equal([ClientB], await ClientsAsync(_azureB));

        // b in outage: 503 for Prometheus, a still stores; after it recovers the resend reaches both.
        await _azureB.SetFaultAsync("""{"status":503,"retryAfterSeconds":1,"requests":1000,"target":"ingestion"}""");
        using (var oneDown = await _relay.WriteAsync(body))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, oneDown.StatusCode);
            Assert.Contains("destination 'b'", await oneDown.Content.ReadAsStringAsync());
        }

        Assert.Equal(24, await _azureA.StoredSamplesAsync("dcr-a"));
        Assert.Equal(12, await _azureB.StoredSamplesAsync("dcr-b"));

        using (await _azureB.Admin.DeleteAsync(new Uri(_azureB.HttpAddress, "/admin/faults")))
        {
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the endpoint is avoided for Azure's Retry-After
        using (var resent = await _relay.WriteAsync(body))
        {
            Assert.Equal(HttpStatusCode.NoContent, resent.StatusCode);
        }

        Assert.Equal(24, await _azureB.StoredSamplesAsync("dcr-b"));
    }

    private static async Task<string[]> ClientsAsync(LocalAzureProcess stand)
    {
        var byClient = (await stand.StatsAsync()).GetProperty("tokens").GetProperty("byClient");
        return [.. byClient.EnumerateObject().Where(p => p.Value.GetInt64() > 0).Select(p => p.Name)];
    }

    public void Dispose()
    {
        _relay?.Dispose();
        _azureA?.Dispose();
        _azureB?.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
