using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using RemoteWrite.LocalAzure.Options;
using RemoteWrite.LocalAzure.Tests.Infrastructure;
using static RemoteWrite.Testing.RemoteWriteBodies;

namespace RemoteWrite.LocalAzure.Tests;

/// <summary>Shares one Kestrel stand-in between the credential tests.</summary>
public sealed class KestrelLocalAzureFixture : IDisposable
{
    public LocalAzureFactory Factory { get; } = new LocalAzureFactory().StartKestrel();

    public void Dispose() => Factory.Dispose();
}

/// <summary>
/// The real Azure.Identity 1.21 credential classes against the stand-in over https (CONTRACT §2a),
/// and the token they get accepted at the ingestion endpoint.
/// </summary>
public sealed class AzureIdentityCredentialTests(KestrelLocalAzureFixture fixture) : IClassFixture<KestrelLocalAzureFixture>
{
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private static readonly TokenRequestContext MonitorScope = new([Tokens.Scope]);

    private LocalAzureFactory Stand => fixture.Factory;

    private T Trusting<T>(T options)
        where T : TokenCredentialOptions
    {
        options.AuthorityHost = Stand.HttpsAddress;
        options.Transport = new HttpClientTransport(new HttpClient(CaTrust.Handler(Stand.CaPemPath)));
        options.Retry.MaxRetries = 0;
        return options;
    }

    private HttpClient Admin() => new() { BaseAddress = Stand.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task ClientSecretCredential_gets_a_token_that_ingestion_accepts()
    {
        var credential = new ClientSecretCredential(Tenant, LocalAzureOptions.DevClientId, LocalAzureOptions.DevClientSecret,
            Trusting(new ClientSecretCredentialOptions { DisableInstanceDiscovery = true }));

        var token = await credential.GetTokenAsync(MonitorScope, default);

        await AssertIngestionAcceptsAsync(token.Token, LocalAzureOptions.DevClientId);
        Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(50));
    }

    [Fact]
    public async Task ClientSecretCredential_with_a_wrong_secret_fails_with_AADSTS7000215()
    {
        var credential = new ClientSecretCredential(Tenant, LocalAzureOptions.DevClientId, "wrong-secret",
            Trusting(new ClientSecretCredentialOptions { DisableInstanceDiscovery = true }));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(MonitorScope, default).AsTask());
        Assert.Contains("AADSTS7000215", error.ToString());
    }

    [Fact]
    public async Task ClientSecretCredential_for_an_unknown_app_fails_with_AADSTS700016()
    {
        var credential = new ClientSecretCredential(Tenant, Guid.NewGuid().ToString(), "x",
            Trusting(new ClientSecretCredentialOptions { DisableInstanceDiscovery = true }));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(MonitorScope, default).AsTask());
        Assert.Contains("AADSTS700016", error.ToString());
    }

    [Fact]
    public async Task ClientSecretCredential_for_an_unknown_resource_fails_with_AADSTS500011()
    {
        var credential = new ClientSecretCredential(Tenant, LocalAzureOptions.DevClientId, LocalAzureOptions.DevClientSecret,
            Trusting(new ClientSecretCredentialOptions { DisableInstanceDiscovery = true }));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => credential.GetTokenAsync(new TokenRequestContext(["https://unknown.example/.default"]), default).AsTask());
        Assert.Contains("AADSTS500011", error.ToString());
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("pfx")]
    public async Task ClientCertificateCredential_gets_a_token_that_ingestion_accepts(string format)
    {
        var clientId = Guid.NewGuid().ToString();
        using var certificate = CreateCertificate(clientId);
        await RegisterAsync(new { clientId, certificatePem = certificate.ExportCertificatePem() });
        var path = WriteCertificate(certificate, format);

        var credential = new ClientCertificateCredential(Tenant, clientId, path, Trusting(new ClientCertificateCredentialOptions { DisableInstanceDiscovery = true }));
        var token = await credential.GetTokenAsync(MonitorScope, default);

        await AssertIngestionAcceptsAsync(token.Token, clientId);
    }

    [Fact]
    public async Task ClientCertificateCredential_with_an_unregistered_certificate_fails_with_AADSTS700027()
    {
        var clientId = Guid.NewGuid().ToString();
        using var registered = CreateCertificate(clientId);
        using var other = CreateCertificate(clientId);
        await RegisterAsync(new { clientId, certificatePem = registered.ExportCertificatePem() });

        var credential = new ClientCertificateCredential(Tenant, clientId, WriteCertificate(other, "pem"),
            Trusting(new ClientCertificateCredentialOptions { DisableInstanceDiscovery = true }));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(MonitorScope, default).AsTask());
        Assert.Contains("AADSTS700027", error.ToString());
    }

    [Fact]
    public async Task WorkloadIdentityCredential_gets_a_token_with_a_federated_token_file()
    {
        var clientId = Guid.NewGuid().ToString();
        const string subject = "system:serviceaccount:monitoring:prom-remotewrite";
        await RegisterAsync(new { clientId, federatedIssuer = "https://oidc.localazure.invalid/cluster", federatedSubject = subject });
        var tokenFile = await WriteFederatedTokenAsync(subject, lifetimeSeconds: 3600);

        var credential = new WorkloadIdentityCredential(Trusting(new WorkloadIdentityCredentialOptions
        {
            TenantId = Tenant,
            ClientId = clientId,
            TokenFilePath = tokenFile,
            DisableInstanceDiscovery = true,
        }));
        var token = await credential.GetTokenAsync(MonitorScope, default);

        await AssertIngestionAcceptsAsync(token.Token, clientId);
    }

    [Fact]
    public async Task WorkloadIdentityCredential_with_an_expired_federated_token_fails_with_AADSTS700024()
    {
        var clientId = Guid.NewGuid().ToString();
        const string subject = "system:serviceaccount:monitoring:expired";
        await RegisterAsync(new { clientId, federatedIssuer = "https://oidc.localazure.invalid/cluster", federatedSubject = subject });
        var tokenFile = await WriteFederatedTokenAsync(subject, lifetimeSeconds: -900);

        var credential = new WorkloadIdentityCredential(Trusting(new WorkloadIdentityCredentialOptions
        {
            TenantId = Tenant,
            ClientId = clientId,
            TokenFilePath = tokenFile,
            DisableInstanceDiscovery = true,
        }));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(MonitorScope, default).AsTask());
        Assert.Contains("AADSTS700024", error.ToString());
    }

    [Fact]
    public async Task WorkloadIdentityCredential_for_another_subject_fails_with_AADSTS70021()
    {
        var clientId = Guid.NewGuid().ToString();
        await RegisterAsync(new { clientId, federatedIssuer = "https://oidc.localazure.invalid/cluster", federatedSubject = "system:serviceaccount:a:b" });
        var tokenFile = await WriteFederatedTokenAsync("system:serviceaccount:other:sa", lifetimeSeconds: 3600);

        var credential = new WorkloadIdentityCredential(Trusting(new WorkloadIdentityCredentialOptions
        {
            TenantId = Tenant,
            ClientId = clientId,
            TokenFilePath = tokenFile,
            DisableInstanceDiscovery = true,
        }));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(MonitorScope, default).AsTask());
        Assert.Contains("AADSTS70021:", error.ToString());
    }

    [Fact]
    public async Task Ingestion_over_https_accepts_the_token_too()
    {
        var credential = new ClientSecretCredential(Tenant, LocalAzureOptions.DevClientId, LocalAzureOptions.DevClientSecret,
            Trusting(new ClientSecretCredentialOptions { DisableInstanceDiscovery = true }));
        var token = await credential.GetTokenAsync(MonitorScope, default);

        using var https = new HttpClient(CaTrust.Handler(Stand.CaPemPath)) { BaseAddress = Stand.HttpsAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await https.SendAsync(IngestionPost(Compress(Series("https_up", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1)), token.Token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Writes_the_CA_and_a_bundle_usable_as_SSL_CERT_FILE()
    {
        var bundle = File.ReadAllText(Path.Combine(Stand.DataDirectory, "ca-bundle.pem"));
        var ca = File.ReadAllText(Stand.CaPemPath).Trim();
        Assert.EndsWith(ca, bundle.Trim());
        using var cert = X509Certificate2.CreateFromPem(ca);
        Assert.Contains("LocalAzure CA", cert.Subject);
    }

    private async Task AssertIngestionAcceptsAsync(string token, string clientId)
    {
        using var client = Admin();
        using var response = await client.SendAsync(IngestionPost(Compress(Series("credential_up", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1, ("client", clientId))), token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stats = await Tokens.StatsAsync(client);
        Assert.True(stats.GetProperty("byIdentity").GetProperty(clientId).GetProperty("samples").GetInt64() >= 1);
    }

    private async Task RegisterAsync(object app)
    {
        using var client = Admin();
        using var response = await client.PostAsJsonAsync("/admin/apps", app);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<string> WriteFederatedTokenAsync(string subject, int lifetimeSeconds)
    {
        using var client = Admin();
        using var response = await client.PostAsJsonAsync("/admin/federated-token", new { subject, lifetimeSeconds });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var path = Path.Combine(Stand.DataDirectory, $"federated-{Guid.NewGuid():N}.jwt");
        await File.WriteAllTextAsync(path, json.RootElement.GetProperty("token").GetString());
        return path;
    }

    private static X509Certificate2 CreateCertificate(string clientId)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={clientId}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    // CONTRACT §2a: PEM with an unencrypted PKCS#8 key ("BEGIN PRIVATE KEY"), or PFX.
    private string WriteCertificate(X509Certificate2 certificate, string format)
    {
        var path = Path.Combine(Stand.DataDirectory, $"client-{Guid.NewGuid():N}.{format}");
        if (format == "pfx")
        {
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        }
        else
        {
            using var key = certificate.GetRSAPrivateKey()!;
            File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
            Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(path));
        }

        return path;
    }
}
