using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RemoteWrite.LocalAzure.Identity;

/// <summary>A federated identity credential: tokens from <see cref="Issuer"/> for <see cref="Subject"/> and <see cref="Audience"/>.</summary>
internal sealed record FederatedCredential(string Issuer, string Subject, string Audience)
{
    public const string DefaultAudience = "api://AzureADTokenExchange";
}

/// <summary>A certificate credential, found by its SHA-256 (<c>x5t#S256</c>) or SHA-1 (<c>x5t</c>) thumbprint.</summary>
internal sealed record CertificateCredential(string Sha256Thumbprint, string Sha1Thumbprint, RSA PublicKey)
{
    public static CertificateCredential From(X509Certificate2 certificate)
    {
        var key = certificate.GetRSAPublicKey() ?? throw new ArgumentException("Only RSA certificates are supported.", nameof(certificate));
        return new(
            Jwt.Base64UrlEncode(SHA256.HashData(certificate.RawData)),
            Jwt.Base64UrlEncode(SHA1.HashData(certificate.RawData)),
            key);
    }
}

/// <summary>An app registration in the stand-in's directory. Credentials may be added at run time.</summary>
internal sealed class RegisteredApp(string clientId)
{
    private readonly Lock _gate = new();
    private List<string> _secrets = [];
    private List<CertificateCredential> _certificates = [];
    private List<FederatedCredential> _federated = [];

    public string ClientId { get; } = clientId;

    public IReadOnlyList<string> Secrets => _secrets;

    public IReadOnlyList<CertificateCredential> Certificates => _certificates;

    public IReadOnlyList<FederatedCredential> Federated => _federated;

    // Copy-on-write: readers on the token path never lock.
    public void AddSecret(string secret)
    {
        lock (_gate)
        {
            _secrets = [.. _secrets, secret];
        }
    }

    public void AddCertificate(CertificateCredential certificate)
    {
        lock (_gate)
        {
            _certificates = [.. _certificates, certificate];
        }
    }

    public void AddFederated(FederatedCredential credential)
    {
        lock (_gate)
        {
            _federated = [.. _federated, credential];
        }
    }

    /// <summary>Constant-time secret comparison.</summary>
    public bool SecretMatches(string secret)
    {
        var given = System.Text.Encoding.UTF8.GetBytes(secret);
        var match = false;
        foreach (var s in _secrets)
        {
            match |= CryptographicOperations.FixedTimeEquals(given, System.Text.Encoding.UTF8.GetBytes(s));
        }

        return match;
    }
}
