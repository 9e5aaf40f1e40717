using System.Security.Cryptography.X509Certificates;

namespace RemoteWrite.Core.Identity;

/// <summary>
/// Loads a client certificate with its private key from PEM or PFX. Loading it here (rather than
/// giving Azure.Identity the path) also accepts PKCS#1, EC and encrypted PEM keys, which
/// Azure.Identity's own loader refuses (CONTRACT.md §2a), and lets a PFX have a password.
/// </summary>
public static class CertificateFile
{
    public static X509Certificate2 Load(string path, string? password)
    {
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var certificate = string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPem(text, text)
                : X509Certificate2.CreateFromEncryptedPem(text, text, password);
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"The PEM file '{path}' holds no private key.");
            }

            return certificate;
        }

        return X509CertificateLoader.LoadPkcs12(bytes, password, X509KeyStorageFlags.EphemeralKeySet);
    }
}
