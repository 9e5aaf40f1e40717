using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RemoteWrite.LocalAzure.Tests.Infrastructure;

/// <summary>
/// An HttpClient handler that trusts the stand-in's CA, and only it, by building the chain against a
/// custom root (X509ChainTrustMode.CustomRootTrust). Validation stays on: name and chain are checked.
/// </summary>
public static class CaTrust
{
    public static SocketsHttpHandler Handler(string caPemPath)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPemPath));
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                },
            },
        };
    }
}
