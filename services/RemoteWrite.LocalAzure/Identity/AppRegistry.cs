using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Identity;

/// <summary>
/// The stand-in's directory: app registrations (secret, certificate, federated credentials) and
/// managed identities. Seeded from configuration; tests add more through <c>/admin/apps</c>.
/// </summary>
internal sealed class AppRegistry
{
    private readonly ConcurrentDictionary<string, RegisteredApp> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _managedIdentities = new(StringComparer.OrdinalIgnoreCase);

    public AppRegistry(IOptions<LocalAzureOptions> options)
    {
        var o = options.Value;
        if (o.IncludeDevApp)
        {
            GetOrAdd(LocalAzureOptions.DevClientId).AddSecret(LocalAzureOptions.DevClientSecret);
        }

        foreach (var app in o.Apps)
        {
            Register(app, certificatePem: null);
        }

        _managedIdentities[LocalAzureOptions.SystemAssignedClientId] = true;
        foreach (var id in o.ManagedIdentities)
        {
            _managedIdentities[id] = true;
        }
    }

    public RegisteredApp? Find(string clientId) => _apps.GetValueOrDefault(clientId);

    public bool IsManagedIdentity(string clientId) => _managedIdentities.ContainsKey(clientId);

    public void AddManagedIdentity(string clientId) => _managedIdentities[clientId] = true;

    /// <summary>Registers (or extends) an app; <paramref name="certificatePem"/> is an alternative to a file path.</summary>
    public RegisteredApp Register(AppRegistrationOptions app, string? certificatePem)
    {
        var registered = GetOrAdd(app.ClientId);
        if (!string.IsNullOrEmpty(app.ClientSecret))
        {
            registered.AddSecret(app.ClientSecret);
        }

        if (!string.IsNullOrEmpty(app.CertificatePath))
        {
            using var cert = X509CertificateLoader.LoadCertificate(LoadCertificateBytes(File.ReadAllText(app.CertificatePath), File.ReadAllBytes(app.CertificatePath)));
            registered.AddCertificate(CertificateCredential.From(cert));
        }

        if (!string.IsNullOrEmpty(certificatePem))
        {
            using var cert = X509Certificate2.CreateFromPem(certificatePem);
            registered.AddCertificate(CertificateCredential.From(cert));
        }

        if (!string.IsNullOrEmpty(app.FederatedIssuer) && !string.IsNullOrEmpty(app.FederatedSubject))
        {
            registered.AddFederated(new FederatedCredential(app.FederatedIssuer, app.FederatedSubject, app.FederatedAudience ?? FederatedCredential.DefaultAudience));
        }

        return registered;
    }

    private RegisteredApp GetOrAdd(string clientId) => _apps.GetOrAdd(clientId, id => new RegisteredApp(id));

    // A PEM file holds "-----BEGIN CERTIFICATE-----"; anything else is taken as DER.
    private static byte[] LoadCertificateBytes(string text, byte[] raw)
    {
        if (!text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            return raw;
        }

        using var cert = X509Certificate2.CreateFromPem(text);
        return cert.RawData;
    }
}
