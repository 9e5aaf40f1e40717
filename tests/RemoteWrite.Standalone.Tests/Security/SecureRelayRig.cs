using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Security;

/// <summary>
/// The relay as its own process with TLS, a client CA, bearer tokens and htpasswd users (files in a
/// <see cref="TestPki"/> folder), in front of the local Azure stand-in process.
/// </summary>
public sealed class SecureRelayRig : IDisposable
{
    public const string Dcr = "dcr-secure-relay";

    private LocalAzureProcess? _stand;

    private SecureRelayRig(string token, string password)
    {
        Token = token;
        Password = password;
        Pki = new TestPki("relay");
        TokensFile = Pki.Write("tokens", "# issued for prometheus\n" + token);
        HtpasswdFile = Pki.Write("htpasswd", "prometheus:" + WriteCredentialsTests.Bcrypt(password));
        ClientCertificate = Pki.ClientCertificate();
        Http = Pki.Client(ClientCertificate);
        HttpWithoutCertificate = Pki.Client(null);
    }

    public string Token { get; }

    public string Password { get; }

    public TestPki Pki { get; }

    public string TokensFile { get; }

    public string HtpasswdFile { get; }

    public X509Certificate2 ClientCertificate { get; }

    public ServiceProcess? Relay { get; private set; }

    public LocalAzureProcess Stand => _stand ?? throw new InvalidOperationException("not started");

    /// <summary>Trusts the test CA and presents the client certificate.</summary>
    public HttpClient Http { get; }

    public HttpClient HttpWithoutCertificate { get; }

    public Uri Address => new($"https://127.0.0.1:{Relay!.Port}");

    public Uri WriteUrl => new(Address, "/api/v1/write");

    public string Logs => $"--- relay\n{Relay?.OutputTail}\n--- stand-in\n{_stand?.OutputTail}";

    public static async Task<SecureRelayRig> StartAsync(string token, string password)
    {
        var rig = new SecureRelayRig(token, password);
        try
        {
            rig._stand = await LocalAzureProcess.StartAsync();
            var port = FreePort.Next();
            rig.Relay = new ServiceProcess("RemoteWrite.Standalone", port, new Dictionary<string, string?>
            {
                ["LISTENING_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["INGESTION_URL"] = rig.Stand.IngestionUrl(Dcr),
                ["IDENTITY_TYPE"] = "systemAssigned",
                ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = rig.Stand.HttpAddress.ToString().TrimEnd('/'),
                ["LOG_FORMAT"] = "text",
                ["TRACE_LOGGING"] = "true",
                ["WRITE_BEARER_TOKENS_FILE"] = rig.TokensFile,
                ["WRITE_BASIC_AUTH_FILE"] = rig.HtpasswdFile,
                ["TLS_CERT_FILE"] = rig.Pki.ServerCertFile,
                ["TLS_KEY_FILE"] = rig.Pki.ServerKeyFile,
                ["TLS_CLIENT_CA_FILE"] = rig.Pki.CaFile,
                ["ListenerSecurity__FileCheckInterval"] = "00:00:01",
            });
            rig.Relay.Start();

            // /ready over HTTPS without a client certificate: probes need none.
            var ready = await Poll.UntilAsync(async () =>
            {
                if (rig.Relay.HasExited)
                {
                    throw new InvalidOperationException("the relay exited:\n" + rig.Relay.Output);
                }

                try
                {
                    using var response = await rig.HttpWithoutCertificate.GetAsync(new Uri(rig.Address, "/ready"));
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60));
            Assert.True(ready, "the relay never got ready over HTTPS\n" + rig.Logs);
            return rig;
        }
        catch
        {
            rig.Dispose();
            throw;
        }
    }

    /// <summary>The certificate the relay presents in a handshake now.</summary>
    public async Task<X509Certificate2> PresentedCertificateAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Relay!.Port);
        X509Certificate2? presented = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return true;
        });
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        return presented!;
    }

    public void Dispose()
    {
        Relay?.Dispose();
        _stand?.Dispose();
        Http.Dispose();
        HttpWithoutCertificate.Dispose();
        ClientCertificate.Dispose();
        Pki.Dispose();
    }
}
