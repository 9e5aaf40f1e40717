using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Receiver.Security;

namespace RemoteWrite.Standalone.Tests.Security;

/// <summary>Loading the PEM pair, checking client certificates against the configured CA only, and renewal on the TimeProvider's clock.</summary>
public sealed class ListenerCertificateTests : IDisposable
{
    private readonly TestPki _pki = new("listener");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private ListenerSecurityOptions Options(string? ca = null) => new()
    {
        TlsCertFile = _pki.ServerCertFile,
        TlsKeyFile = _pki.ServerKeyFile,
        TlsClientCaFile = ca,
        FileCheckInterval = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public void A_key_that_is_not_the_certificate_s_is_refused()
    {
        var (_, otherKey) = _pki.Issue("other", "CN=other", serverAuth: true);

        // .NET says "the provided key does not match the public key" with an ArgumentException; the start-up check and reload catch both.
        var mismatch = Record.Exception(() => ListenerCertificate.Load(new ListenerSecurityOptions { TlsCertFile = _pki.ServerCertFile, TlsKeyFile = otherKey }));
        Assert.True(mismatch is ArgumentException or CryptographicException, mismatch?.ToString());
        using var loaded = ListenerCertificate.Load(Options());
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.Null(loaded.ClientRoots);
    }

    [Fact]
    public void Client_certificates_must_chain_to_the_configured_CA_only()
    {
        using var listener = new ListenerCertificate(Microsoft.Extensions.Options.Options.Create(Options(_pki.CaFile)), _time, NullLogger<ListenerCertificate>.Instance);
        using var ours = _pki.ClientCertificate();
        using var strangers = new TestPki("stranger");
        using var theirs = strangers.ClientCertificate();

        Assert.True(listener.IsTrustedClient(ours));
        Assert.False(listener.IsTrustedClient(theirs));

        // A server certificate of the same CA is not a client certificate (extended key usage).
        using var server = X509Certificate2.CreateFromPemFile(_pki.ServerCertFile, _pki.ServerKeyFile);
        Assert.False(listener.IsTrustedClient(server));
    }

    [Fact]
    public void A_renewed_pair_is_presented_after_the_next_check_and_a_half_written_one_keeps_the_old()
    {
        using var listener = new ListenerCertificate(Microsoft.Extensions.Options.Options.Create(Options()), _time, NullLogger<ListenerCertificate>.Instance);
        var first = listener.Current!.SerialNumber;

        // The certificate is renewed first, the key a moment later: in between the pair does not match.
        var (renewedCert, renewedKey) = _pki.Issue("renewed", "CN=localhost", serverAuth: true);
        _pki.WriteAtomically("server.pem", File.ReadAllText(renewedCert).TrimEnd());
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(first, listener.Current!.SerialNumber);

        _pki.WriteAtomically("server-key.pem", File.ReadAllText(renewedKey).TrimEnd());
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.NotEqual(first, listener.Current!.SerialNumber);
    }

    public void Dispose() => _pki.Dispose();
}
