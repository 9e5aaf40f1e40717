namespace RemoteWrite.Core.Configuration;

/// <summary>
/// Every environment variable name the relay reads, in one place: the side car's (CONTRACT.md §3),
/// the auth proxy's as aliases (§3a), and the Azure SDK's names for what the side car lacks.
/// </summary>
public static class SideCarVariables
{
    public const string IngestionUrl = "INGESTION_URL";
    public const string ListeningPort = "LISTENING_PORT";
    public const string IdentityType = "IDENTITY_TYPE";
    public const string ClientId = "AZURE_CLIENT_ID";
    public const string TenantId = "AZURE_TENANT_ID";
    public const string CertificatePath = "AZURE_CLIENT_CERTIFICATE_PATH";
    public const string Cluster = "CLUSTER";
    public const string TraceLogging = "TRACE_LOGGING";
    public const string Audience = "INGESTION_AAD_AUDIENCE";
    public const string Cloud = "CLOUD";
    public const string AadHostEndpoint = "AAD_HOST_ENDPOINT";

    // The auth proxy's names (CONTRACT.md §3a).
    public const string ProxyClientId = "AAD_CLIENT_ID";
    public const string ProxyTenantId = "AAD_TENANT_ID";
    public const string ProxyCertificatePath = "AAD_CLIENT_CERTIFICATE_PATH";
    public const string ProxyAudience = "AUDIENCE";
    public const string ProxyRefreshPercent = "AAD_TOKEN_REFRESH_INTERVAL_IN_PERCENTAGE";
    public const string ProxyTargetHost = "TARGET_HOST";

    // The Azure SDK's names, and what workload identity's webhook injects (CONTRACT.md §3).
    public const string ClientSecret = "AZURE_CLIENT_SECRET";
    public const string ClientSecretFile = "AZURE_CLIENT_SECRET_FILE";
    public const string CertificatePassword = "AZURE_CLIENT_CERTIFICATE_PASSWORD";
    public const string SendCertificateChain = "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN";
    public const string AuthorityHost = "AZURE_AUTHORITY_HOST";
    public const string FederatedTokenFile = "AZURE_FEDERATED_TOKEN_FILE";

    /// <summary>Several destinations from a YAML file (services/RemoteWrite.Standalone/README.md); the relay's own, not the side car's.</summary>
    public const string DestinationsFile = "DESTINATIONS_FILE";

    /// <summary>The variables <see cref="SideCarEnvironment.ApplyIdentity"/> reads: also the keys of a destination's <c>identity</c> in DESTINATIONS_FILE.</summary>
    public static readonly IReadOnlyList<string> IdentityVariables =
    [
        IdentityType, ClientId, ProxyClientId, TenantId, ProxyTenantId, CertificatePath, ProxyCertificatePath, CertificatePassword,
        ClientSecret, ClientSecretFile, FederatedTokenFile, Cloud, Audience, ProxyAudience, AadHostEndpoint, AuthorityHost,
        SendCertificateChain, ProxyRefreshPercent,
    ];

    // The listening port's own security, which the side car lacked (it listened on localhost): off unless set.
    public const string WriteBearerTokensFile = "WRITE_BEARER_TOKENS_FILE";
    public const string WriteBasicAuthFile = "WRITE_BASIC_AUTH_FILE";
    public const string TlsCertFile = "TLS_CERT_FILE";
    public const string TlsKeyFile = "TLS_KEY_FILE";
    public const string TlsClientCaFile = "TLS_CLIENT_CA_FILE";

    // What the relay does to the data before sending, which the side car lacked: off unless set.
    public const string RelabelConfigFile = "RELABEL_CONFIG_FILE";

    /// <summary>The side car's port (CONTRACT.md §3).</summary>
    public const int DefaultListeningPort = 8081;
}
