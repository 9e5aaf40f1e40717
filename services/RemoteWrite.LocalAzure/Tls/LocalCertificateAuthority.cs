using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Tls;

/// <summary>
/// The stand-in's own TLS: a self-signed CA (kept in the data directory, so a trust set up once
/// survives restarts) and a server certificate it signs, with SAN IP:127.0.0.1 and DNS:localhost
/// (Azure.Identity needs an https authority, CONTRACT §2a). Writes <c>ca.pem</c> and
/// <c>ca-bundle.pem</c> (system bundle + our CA, usable as <c>SSL_CERT_FILE</c>).
/// </summary>
internal sealed class LocalCertificateAuthority : IDisposable
{
    public const string CaFileName = "ca.pem";
    public const string CaKeyFileName = "ca.key";
    public const string BundleFileName = "ca-bundle.pem";

    private readonly Lazy<X509Certificate2> _server;

    public LocalCertificateAuthority(IOptions<LocalAzureOptions> options, TimeProvider time)
    {
        var o = options.Value;
        Directory.CreateDirectory(o.DataDirectory);
        CaPath = Path.Combine(o.DataDirectory, CaFileName);
        BundlePath = Path.Combine(o.DataDirectory, BundleFileName);
        Ca = LoadOrCreateCa(o.DataDirectory, time);
        CaPem = Ca.ExportCertificatePem() + "\n";
        WriteAtomically(CaPath, CaPem);
        var system = File.Exists(o.SystemCaBundle) ? File.ReadAllText(o.SystemCaBundle) : "";
        WriteAtomically(BundlePath, system.TrimEnd() + (system.Length > 0 ? "\n" : "") + CaPem);
        _server = new Lazy<X509Certificate2>(() => CreateServerCertificate(o.TlsHostNames, time));
    }

    public X509Certificate2 Ca { get; }

    public string CaPem { get; }

    public string CaPath { get; }

    public string BundlePath { get; }

    /// <summary>The server certificate with its private key, made on first use.</summary>
    public X509Certificate2 ServerCertificate => _server.Value;

    private static X509Certificate2 LoadOrCreateCa(string directory, TimeProvider time)
    {
        var certPath = Path.Combine(directory, CaFileName);
        var keyPath = Path.Combine(directory, CaKeyFileName);
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            try
            {
                var loaded = X509Certificate2.CreateFromPemFile(certPath, keyPath);
                if (loaded.NotAfter > time.GetUtcNow().AddDays(30).UtcDateTime && loaded.HasPrivateKey)
                {
                    return loaded;
                }
            }
            catch (CryptographicException)
            {
                // Unreadable: make a new one below.
            }
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=RemoteWrite LocalAzure CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        var ca = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return ca;
    }

    private X509Certificate2 CreateServerCertificate(IEnumerable<string> extraNames, TimeProvider time)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (var name in extraNames.Where(n => !string.IsNullOrWhiteSpace(n)))
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        var now = time.GetUtcNow();
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(Ca, now.AddDays(-1), now.AddDays(365), serial);
        using var withKey = signed.CopyWithPrivateKey(key);

        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static void WriteAtomically(string path, string content)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    public void Dispose()
    {
        Ca.Dispose();
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}
