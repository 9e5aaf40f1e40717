using Azure.Core;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.TokenService;

/// <summary>
/// Builds the credential with the shared <see cref="AzureCredentialFactory"/>, taking an application's
/// secret or certificate from the Dapr secret store (<c>GetSecretAsync</c>) when
/// <see cref="IdentityOptions.ClientSecret"/> is <see cref="FromSecretStore"/>. A certificate is
/// written to a private file for <see cref="CertificateFile"/> (PEM or PFX). The token keeper calls
/// this again after a failed refresh, so a rotated secret is read again. Managed and workload
/// identities need no material and pass straight through.
/// </summary>
public sealed class DaprSecretCredentialFactory(DaprClient dapr, IOptions<TokenServiceOptions> options, AzureCredentialFactory inner) : ITokenCredentialFactory, IDisposable
{
    /// <summary>The placeholder that says "the material is in the secret store".</summary>
    public const string FromSecretStore = "dapr-secret-store";

    private readonly TokenServiceOptions _options = options.Value;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("remotewrite-token-");

    public TokenCredential Create(IdentityOptions identity)
    {
        if (identity.ClientSecret != FromSecretStore)
        {
            return inner.Create(identity);
        }

        // Called from the token keeper's background loop, never from a request: blocking is fine here.
        var material = ReadAsync().GetAwaiter().GetResult();
        var effective = Copy(identity);
        if (material.Certificate is { } certificate)
        {
            effective.ClientSecret = null;
            effective.CertificatePath = Write(certificate);
            effective.CertificatePassword = material.Password;
        }
        else
        {
            effective.ClientSecret = material.Secret;
        }

        return inner.Create(effective);
    }

    private async Task<(string? Secret, byte[]? Certificate, string? Password)> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(_options.SecretTimeout);
        var certificate = await TryGetAsync(_options.CertificateKey, timeout.Token);
        if (certificate is not null)
        {
            var password = await TryGetAsync(_options.CertificatePasswordKey, timeout.Token);
            var bytes = certificate.Contains("-----BEGIN", StringComparison.Ordinal)
                ? System.Text.Encoding.ASCII.GetBytes(certificate)
                : Convert.FromBase64String(certificate.Trim());
            return (null, bytes, password);
        }

        var secret = await TryGetAsync(_options.ClientSecretKey, timeout.Token)
            ?? throw new InvalidOperationException($"the secret store '{_options.SecretStore}' has neither '{_options.CertificateKey}' nor '{_options.ClientSecretKey}'");
        return (secret, null, null);
    }

    // A missing key is an error from the store (daprd answers Internal ERR_SECRET_GET); an unreachable sidecar throws on.
    private async Task<string?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var values = await dapr.GetSecretAsync(_options.SecretStore, key, cancellationToken: cancellationToken);
            return values.TryGetValue(key, out var value) ? value : values.Values.FirstOrDefault();
        }
        catch (DaprException e) when (e.InnerException is RpcException { StatusCode: StatusCode.Internal or StatusCode.NotFound })
        {
            return null;
        }
    }

    private string Write(byte[] certificate)
    {
        var path = Path.Combine(_directory.FullName, Guid.NewGuid().ToString("N") + ".cert");
        foreach (var old in _directory.EnumerateFiles())
        {
            old.Delete();
        }

        // Directory.CreateTempSubdirectory makes the directory 0700 on Unix: only this user reads the key.
        File.WriteAllBytes(path, certificate);
        return path;
    }

    private static IdentityOptions Copy(IdentityOptions o) => new()
    {
        Type = o.Type,
        ClientId = o.ClientId,
        TenantId = o.TenantId,
        ClientSecret = o.ClientSecret,
        ClientSecretFile = o.ClientSecretFile,
        CertificatePath = o.CertificatePath,
        CertificatePassword = o.CertificatePassword,
        SendCertificateChain = o.SendCertificateChain,
        FederatedTokenFile = o.FederatedTokenFile,
        AuthorityHost = o.AuthorityHost,
        Cloud = o.Cloud,
        Audience = o.Audience,
        RefreshAtPercentOfLifetime = o.RefreshAtPercentOfLifetime,
        RefreshBeforeExpiry = o.RefreshBeforeExpiry,
        MinRetryDelay = o.MinRetryDelay,
        MaxRetryDelay = o.MaxRetryDelay,
        CredentialFileCheckInterval = o.CredentialFileCheckInterval,
        MinTokenAgeToInvalidate = o.MinTokenAgeToInvalidate,
    };

    public void Dispose()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the directory is private and temporary.
        }
    }
}
