using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RemoteWrite.Testing;

/// <summary>
/// A throw-away PKI made in-process and written as PEM files to a private temp directory: a CA, a
/// server certificate for 127.0.0.1 / localhost and a client certificate, both issued by the CA (ECDSA P-256).
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("remotewrite-pki-");

    public TestPki(string name = "test")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name} CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CaFile = Write("ca.pem", Ca.ExportCertificatePem());

        (ServerCertFile, ServerKeyFile) = Issue("server", "CN=localhost", serverAuth: true);
        (ClientCertFile, ClientKeyFile) = Issue("client", "CN=prometheus", serverAuth: false);
    }

    public X509Certificate2 Ca { get; }

    public string Folder => _directory.FullName;

    public string CaFile { get; }

    public string ServerCertFile { get; }

    public string ServerKeyFile { get; }

    public string ClientCertFile { get; }

    public string ClientKeyFile { get; }

    /// <summary>Issues another certificate from this CA (e.g. a renewed server certificate); returns its PEM files.</summary>
    public (string CertFile, string KeyFile) Issue(string fileName, string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }

        using var certificate = request.Create(Ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(10), RandomNumberGenerator.GetBytes(12));
        return (Write(fileName + ".pem", certificate.ExportCertificatePem()), Write(fileName + "-key.pem", key.ExportPkcs8PrivateKeyPem()));
    }

    /// <summary>The client certificate with its key, for an <see cref="HttpClientHandler"/>.</summary>
    public X509Certificate2 ClientCertificate() => LoadPair(ClientCertFile, ClientKeyFile);

    /// <summary>An HttpClient that trusts only this CA and presents <paramref name="clientCertificate"/> when asked.</summary>
    public HttpClient Client(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 c && ChainsToCa(c),
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public bool ChainsToCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public string Write(string fileName, string content)
    {
        var path = Path.Combine(Folder, fileName);
        File.WriteAllText(path, content + "\n");
        return path;
    }

    /// <summary>Replaces <paramref name="fileName"/> in one rename, as kubelet swaps a secret mount.</summary>
    public string WriteAtomically(string fileName, string content)
    {
        var path = Path.Combine(Folder, fileName);
        var temp = path + ".new";
        File.WriteAllText(temp, content + "\n");
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static X509Certificate2 LoadPair(string certFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Ca.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }
}
