using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Core.Identity;

/// <summary>
/// Which Entra ID identity to use and how to keep its token; section <c>Identity</c>. The standalone
/// relay fills it from the side car's environment variables (each message below names both).
/// Shared by the standalone relay and the Dapr token service.
/// </summary>
public sealed class IdentityOptions : IValidatedOptions
{
    public const string SectionName = "Identity";

    public IdentityType Type { get; set; } = IdentityType.Auto;

    /// <summary>The text of an <c>IDENTITY_TYPE</c> that is none of the known values (reported at start, never guessed).</summary>
    public string? UnknownIdentityType { get; set; }

    /// <summary>Application (client) id: of the user-assigned identity, the app registration, or the federated identity.</summary>
    public string? ClientId { get; set; }

    public string? TenantId { get; set; }

    /// <summary>Client secret of an app registration. Prefer <see cref="ClientSecretFile"/> (a mounted secret).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A file holding the client secret; re-read when it changes.</summary>
    public string? ClientSecretFile { get; set; }

    /// <summary>PEM (certificate + private key) or PFX file; re-read when it changes (Azure.Identity never does, CONTRACT.md §2a).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of a PFX or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Send the x5c chain with the assertion (needed for subject-name/issuer authentication).</summary>
    public bool SendCertificateChain { get; set; }

    /// <summary>Workload identity: the projected service-account token file.</summary>
    public string? FederatedTokenFile { get; set; }

    /// <summary>Entra ID authority host; default from <see cref="Cloud"/>.</summary>
    public string? AuthorityHost { get; set; }

    /// <summary>Cloud name in any spelling (see <see cref="AzureClouds.TryParse"/>); default public.</summary>
    public string? Cloud { get; set; }

    /// <summary>Token audience, with or without <c>/.default</c>; default from <see cref="Cloud"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>Refresh once this share of a token's lifetime has passed (as the auth proxy's <c>AAD_TOKEN_REFRESH_INTERVAL_IN_PERCENTAGE</c>).</summary>
    public int RefreshAtPercentOfLifetime { get; set; } = 50;

    /// <summary>Refresh no later than this before expiry, whatever the percentage says.</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First wait after a failed refresh; doubles up to <see cref="MaxRetryDelay"/>, forever.</summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the certificate or secret file is checked for a new version.</summary>
    public TimeSpan CredentialFileCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A token younger than this is not fetched again when Azure refuses it (a missing role gives 403 to every token).</summary>
    public TimeSpan MinTokenAgeToInvalidate { get; set; } = TimeSpan.FromSeconds(10);

    public AzureCloud ParsedCloud => AzureClouds.TryParse(Cloud, out var cloud) ? cloud : AzureCloud.Public;

    /// <summary>The identity type to use: as set, else inferred from what is configured.</summary>
    public IdentityType EffectiveType => Type != IdentityType.Auto
        ? Type
        : !string.IsNullOrWhiteSpace(FederatedTokenFile) ? IdentityType.WorkloadIdentity
        : HasApplicationCredential ? IdentityType.AadApplication
        : !string.IsNullOrWhiteSpace(ClientId) ? IdentityType.UserAssigned
        : IdentityType.SystemAssigned;

    /// <summary>The token scope, <c>&lt;audience&gt;/.default</c>.</summary>
    public string Scope => AudienceScope.ToScope(Audience is { Length: > 0 } a ? a : ParsedCloud.DefaultAudience() ?? "");

    public Uri? EffectiveAuthorityHost =>
        !string.IsNullOrWhiteSpace(AuthorityHost) && Uri.TryCreate(AuthorityHost.Trim(), UriKind.Absolute, out var host) ? host : ParsedCloud.DefaultAuthorityHost();

    /// <summary>The file whose change means a new credential: the certificate or the secret file.</summary>
    public string? WatchedCredentialFile => EffectiveType == IdentityType.AadApplication
        ? (!string.IsNullOrWhiteSpace(CertificatePath) ? CertificatePath : !string.IsNullOrWhiteSpace(ClientSecretFile) ? ClientSecretFile : null)
        : null;

    private bool HasApplicationCredential =>
        !string.IsNullOrWhiteSpace(ClientSecret) || !string.IsNullOrWhiteSpace(ClientSecretFile) || !string.IsNullOrWhiteSpace(CertificatePath);

    public IEnumerable<string> Validate()
    {
        if (UnknownIdentityType is not null)
        {
            yield return $"IDENTITY_TYPE '{UnknownIdentityType}' is not one of userAssigned, systemAssigned, aadApplication, workloadIdentity.";
        }

        if (!AzureClouds.TryParse(Cloud, out var cloud))
        {
            yield return $"CLOUD (Identity:Cloud) '{Cloud}' is not one of AzurePublic, AzureGovernment, AzureChina, AzureCustom.";
        }

        if (!string.IsNullOrWhiteSpace(Audience) && !IsAbsoluteUri(AudienceScope.ToResource(Audience), requireHttps: false))
        {
            yield return $"INGESTION_AAD_AUDIENCE (Identity:Audience) '{Audience}' is not an absolute URI such as https://monitor.azure.com/.default.";
        }

        if (cloud == AzureCloud.Custom && string.IsNullOrWhiteSpace(Audience))
        {
            yield return "INGESTION_AAD_AUDIENCE (Identity:Audience) is required when CLOUD is AzureCustom.";
        }

        var type = EffectiveType;
        var needsAuthority = type is IdentityType.AadApplication or IdentityType.WorkloadIdentity;
        if (!string.IsNullOrWhiteSpace(AuthorityHost) && !IsAbsoluteUri(AuthorityHost, requireHttps: true))
        {
            yield return $"AZURE_AUTHORITY_HOST / AAD_HOST_ENDPOINT (Identity:AuthorityHost) '{AuthorityHost}' must be an absolute https URL (Entra ID refuses http).";
        }
        else if (needsAuthority && cloud == AzureCloud.Custom && string.IsNullOrWhiteSpace(AuthorityHost))
        {
            yield return "AAD_HOST_ENDPOINT or AZURE_AUTHORITY_HOST (Identity:AuthorityHost) is required when CLOUD is AzureCustom.";
        }

        var typeName = type.ToString()[..1].ToLowerInvariant() + type.ToString()[1..];
        if (type is IdentityType.UserAssigned or IdentityType.AadApplication or IdentityType.WorkloadIdentity && string.IsNullOrWhiteSpace(ClientId))
        {
            yield return $"AZURE_CLIENT_ID (Identity:ClientId) is required for IDENTITY_TYPE={typeName}.";
        }

        if (type is IdentityType.AadApplication or IdentityType.WorkloadIdentity && string.IsNullOrWhiteSpace(TenantId))
        {
            yield return $"AZURE_TENANT_ID (Identity:TenantId) is required for IDENTITY_TYPE={typeName}.";
        }

        if (type == IdentityType.AadApplication)
        {
            var given = new[] { ClientSecret, ClientSecretFile, CertificatePath }.Count(v => !string.IsNullOrWhiteSpace(v));
            if (given == 0)
            {
                yield return "IDENTITY_TYPE=aadApplication needs AZURE_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_SECRET or AZURE_CLIENT_SECRET_FILE.";
            }
            else if (given > 1)
            {
                yield return "Set only one of AZURE_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_SECRET and AZURE_CLIENT_SECRET_FILE.";
            }

            if (!string.IsNullOrWhiteSpace(CertificatePath) && !File.Exists(CertificatePath))
            {
                yield return $"AZURE_CLIENT_CERTIFICATE_PATH (Identity:CertificatePath) '{CertificatePath}' does not exist.";
            }

            if (!string.IsNullOrWhiteSpace(ClientSecretFile) && !File.Exists(ClientSecretFile))
            {
                yield return $"AZURE_CLIENT_SECRET_FILE (Identity:ClientSecretFile) '{ClientSecretFile}' does not exist.";
            }
        }

        if (type == IdentityType.WorkloadIdentity && string.IsNullOrWhiteSpace(FederatedTokenFile))
        {
            yield return "AZURE_FEDERATED_TOKEN_FILE (Identity:FederatedTokenFile) is required for IDENTITY_TYPE=workloadIdentity.";
        }

        if (RefreshAtPercentOfLifetime is < 1 or > 95)
        {
            yield return $"AAD_TOKEN_REFRESH_INTERVAL_IN_PERCENTAGE (Identity:RefreshAtPercentOfLifetime) must be between 1 and 95 (is {RefreshAtPercentOfLifetime}).";
        }

        if (MinRetryDelay <= TimeSpan.Zero || MaxRetryDelay < MinRetryDelay)
        {
            yield return "Identity:MinRetryDelay must be positive and not above Identity:MaxRetryDelay.";
        }

        if (CredentialFileCheckInterval <= TimeSpan.Zero)
        {
            yield return "Identity:CredentialFileCheckInterval must be positive.";
        }
    }

    private static bool IsAbsoluteUri(string text, bool requireHttps) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (!requireHttps && uri.Scheme == Uri.UriSchemeHttp));
}
