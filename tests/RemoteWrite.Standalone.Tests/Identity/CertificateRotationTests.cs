using System.Net;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Identity;

/// <summary>
/// "A certificate swapped on disk: next token uses it, no restart": the relay process with
/// <c>IDENTITY_TYPE=aadApplication</c> and a PEM certificate, a real <c>ClientCertificateCredential</c>
/// against the stand-in's https authority (trusted through <c>SSL_CERT_FILE</c>, validation on), and
/// the stand-in telling which certificate signed each client assertion (<c>x5t#S256</c>).
/// </summary>
public sealed class CertificateRotationTests : IDisposable
{
    private const string ClientId = "5d1e0c2a-0000-4000-8000-00000000ce27";
    private const string Dcr = "dcr-rotation";
    private readonly string _work = Directory.CreateTempSubdirectory("relay-cert-").FullName;
    private LocalAzureProcess? _stand;
    private RelayChild? _relay;

    [Fact]
    public async Task A_certificate_swapped_on_disk_signs_the_next_token_and_data_keeps_flowing_without_a_restart()
    {
        var first = TestCertificate.Create("relay-first");
        var second = TestCertificate.Create("relay-second");
        _stand = await LocalAzureProcess.StartAsync();
        await _stand.RegisterAppAsync(ClientId, certificatePem: first.CertificatePem);
        await _stand.RegisterAppAsync(ClientId, certificatePem: second.CertificatePem);
        var path = Path.Combine(_work, "client.pem");
        first.WriteAtomically(path);

        _relay = await RelayChild.StartAsync(new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = _stand.IngestionUrl(Dcr),
            ["IDENTITY_TYPE"] = "aadApplication",
            ["AZURE_CLIENT_ID"] = ClientId,
            ["AZURE_TENANT_ID"] = "00000000-0000-0000-0000-00000000a2e0",
            ["AZURE_CLIENT_CERTIFICATE_PATH"] = path,
            ["AZURE_AUTHORITY_HOST"] = _stand.HttpsAddress.ToString(),
            ["SSL_CERT_FILE"] = _stand.CaBundlePath,
            ["Identity__CredentialFileCheckInterval"] = "00:00:01",
        });
        var pid = _relay.Process.Pid;
        Assert.Equal(1, await _stand.TokensIssuedAsync("x5t#S256:" + first.Sha256Thumbprint));
        Assert.Equal(0, await _stand.TokensIssuedAsync("x5t#S256:" + second.Sha256Thumbprint));
        await WriteAndExpectStoredAsync(10);

        second.WriteAtomically(path);

        var bySecond = await Poll.UntilAsync(() => _stand.TokensIssuedAsync("x5t#S256:" + second.Sha256Thumbprint), n => n > 0, TimeSpan.FromSeconds(30));
        Assert.True(bySecond > 0, "no token was signed with the new certificate\n" + _relay.Process.OutputTail + _stand.OutputTail);
        await WriteAndExpectStoredAsync(20);

        // The old certificate signed nothing more, and it is the same process throughout.
        Assert.Equal(1, await _stand.TokensIssuedAsync("x5t#S256:" + first.Sha256Thumbprint));
        Assert.False(_relay.Process.HasExited);
        Assert.Equal(pid, _relay.Process.Pid);
        var metrics = await _relay.Http.GetStringAsync(new Uri(_relay.Address, "/metrics"));
        Assert.Equal(2, PrometheusText.Sum(metrics, "remotewrite_identity_credential_builds_total"));
    }

    private async Task WriteAndExpectStoredAsync(int expected)
    {
        using var response = await _relay!.WriteAsync(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 10)));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(expected, await _stand!.StoredSamplesAsync(Dcr));
    }

    public void Dispose()
    {
        _relay?.Dispose();
        _stand?.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
