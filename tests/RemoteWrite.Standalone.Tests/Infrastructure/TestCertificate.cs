using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>A self-signed RSA client certificate as a side car mounts it: one PEM file, certificate + PKCS#8 key.</summary>
public sealed record TestCertificate(string CertificatePem, string PemWithKey, string Sha256Thumbprint)
{
    public static TestCertificate Create(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pem = certificate.ExportCertificatePem() + "\n";

        // x5t#S256 as the assertion header carries it: base64url SHA-256 of the DER (CONTRACT §2a).
        var thumbprint = Convert.ToBase64String(SHA256.HashData(certificate.RawData)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new TestCertificate(pem, pem + key.ExportPkcs8PrivateKeyPem() + "\n", thumbprint);
    }

    /// <summary>Replaces <paramref name="path"/> in one rename, as the CSI driver and kubelet swap files.</summary>
    public void WriteAtomically(string path)
    {
        var temp = path + ".new";
        File.WriteAllText(temp, PemWithKey);
        File.Move(temp, path, overwrite: true);
    }
}
