using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Receiver.Security;

/// <summary>
/// TLS on the listening port: the certificate of <c>TLS_CERT_FILE</c> + <c>TLS_KEY_FILE</c> (PEM), handed
/// to Kestrel per handshake so a renewed certificate is used without a restart (the files are compared
/// by content every <see cref="ListenerSecurityOptions.FileCheckInterval"/>; a pair that does not load
/// is logged once and the old one stays). With <c>TLS_CLIENT_CA_FILE</c>, a presented client certificate
/// must chain to those CA certificates (and only those) or the handshake fails; a connection without one
/// is still accepted, so probes reach <c>/health</c>, and its writes get 403 (<see cref="WriteAuthenticator"/>).
/// </summary>
public sealed class ListenerCertificate : IDisposable
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly ListenerSecurityOptions _options;
    private readonly ILogger<ListenerCertificate> _logger;
    private readonly ITimer? _timer;
    private Material? _current;
    private string? _stamp;
    private string? _lastProblem;

    public ListenerCertificate(IOptions<ListenerSecurityOptions> options, TimeProvider time, ILogger<ListenerCertificate> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (!_options.HasTls)
        {
            return;
        }

        Reload();
        _timer = time.CreateTimer(_ => Reload(), null, _options.FileCheckInterval, _options.FileCheckInterval);
    }

    public bool IsEnabled => _options.HasTls;

    /// <summary>The certificate presented now (null when TLS is off or nothing loaded).</summary>
    public X509Certificate2? Current => Volatile.Read(ref _current)?.Certificate;

    /// <summary>Loads the files as configured; throws what the loader throws (key not matching, no certificate …).</summary>
    public static Material Load(ListenerSecurityOptions options)
    {
        using var pem = X509Certificate2.CreateFromPemFile(options.TlsCertFile!, options.TlsKeyFile);
        if (!pem.HasPrivateKey)
        {
            throw new CryptographicException("the key does not belong to the certificate.");
        }

        // A PKCS#12 round trip gives a key SslStream can use on every platform (an ephemeral PEM key fails on Windows).
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        X509Certificate2Collection? roots = null;
        if (options.RequiresClientCertificate)
        {
            roots = [];
            roots.ImportFromPemFile(options.TlsClientCaFile!);
            if (roots.Count == 0)
            {
                certificate.Dispose();
                throw new CryptographicException($"{SideCarVariables.TlsClientCaFile} holds no certificate.");
            }
        }

        return new Material(certificate, roots);
    }

    /// <summary>Makes <paramref name="listen"/> HTTPS with the current certificate and, when configured, client certificate checks.</summary>
    public void UseHttps(ListenOptions listen)
    {
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificateSelector = (_, _) => Current,
            ClientCertificateMode = _options.RequiresClientCertificate ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate,
            ClientCertificateValidation = (certificate, _, _) => IsTrustedClient(certificate),
        });
    }

    /// <summary>True when <paramref name="certificate"/> chains to one of the configured CA certificates, for client authentication.</summary>
    public bool IsTrustedClient(X509Certificate2 certificate)
    {
        if (Volatile.Read(ref _current) is not { ClientRoots: { } roots })
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        return chain.Build(certificate);
    }

    /// <summary>Loads the files again when their content changed; false when they could not be loaded.</summary>
    public bool Reload()
    {
        var stamp = string.Concat(CredentialFileStamp.Of(_options.TlsCertFile), CredentialFileStamp.Of(_options.TlsKeyFile), CredentialFileStamp.Of(_options.TlsClientCaFile));
        if (stamp == _stamp)
        {
            return true;
        }

        Material loaded;
        try
        {
            loaded = Load(_options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or InvalidOperationException)
        {
            // A renewal writes the certificate and the key one after the other: a mismatch for one check is normal.
            var problem = $"{e.GetType().Name}: {e.Message}";
            if (problem != _lastProblem)
            {
                _lastProblem = problem;
                _logger.LogWarning("TLS certificate not {Action}: {Problem}", _current is null ? "loaded" : "reloaded, the previous one stays in use", problem);
            }

            return false;
        }

        var first = _current is null;
        Volatile.Write(ref _current, loaded);
        _stamp = stamp;
        _lastProblem = null;
        _logger.LogInformation("TLS certificate {Action}: subject {Subject}, expires {NotAfter:u}{Clients}", first ? "loaded" : "reloaded",
            loaded.Certificate.Subject, loaded.Certificate.NotAfter.ToUniversalTime(), loaded.ClientRoots is { } r ? $", client certificates required to write ({r.Count} CA certificate(s))" : "");

        // The previous certificate is not disposed: a handshake may still be using it.
        return true;
    }

    public void Dispose() => _timer?.Dispose();

    public sealed record Material(X509Certificate2 Certificate, X509Certificate2Collection? ClientRoots) : IDisposable
    {
        public void Dispose() => Certificate.Dispose();
    }
}
