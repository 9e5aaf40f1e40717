namespace RemoteWrite.LocalAzure.Options;

/// <summary>
/// Everything the stand-in can be told, bound from the <c>LocalAzure</c> configuration section
/// (environment variables <c>LocalAzure__HttpPort</c> etc.; see README.md). Validated at start.
/// </summary>
public sealed class LocalAzureOptions
{
    public const string Section = "LocalAzure";

    /// <summary>Development-only client id of the app registered unless <see cref="IncludeDevApp"/> is false.</summary>
    public const string DevClientId = "00000000-0000-0000-0000-00000000c11e";

    /// <summary>Development-only secret of the dev app. Never use it for anything real.</summary>
    public const string DevClientSecret = "local-dev-secret";

    /// <summary>Client id of the system-assigned managed identity.</summary>
    public const string SystemAssignedClientId = "00000000-0000-0000-0000-0000000005a1";

    /// <summary>Address both listeners bind to; <c>0.0.0.0</c> to reach it from containers.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Plain http: ingestion, IMDS, App Service identity, admin. 0 picks a free port.</summary>
    public int HttpPort { get; set; } = 5080;

    /// <summary>https: Entra authority (Azure.Identity refuses http authorities, CONTRACT §2a) and ingestion. 0 picks a free port.</summary>
    public int HttpsPort { get; set; } = 5443;

    /// <summary>Where the CA (kept across restarts) and the CA bundle for <c>SSL_CERT_FILE</c> are written.</summary>
    public string DataDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "remotewrite-localazure");

    /// <summary>Extra DNS names for the server certificate besides localhost and 127.0.0.1.</summary>
    public List<string> TlsHostNames { get; set; } = [];

    /// <summary>System CA bundle the written bundle starts with.</summary>
    public string SystemCaBundle { get; set; } = "/etc/ssl/certs/ca-certificates.crt";

    /// <summary>Lifetime of issued access tokens; short values make refresh testable.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3599;

    /// <summary>Resources a token may be asked for (scope minus <c>/.default</c>); CONTRACT §2 lists the three clouds.</summary>
    public List<string> Resources { get; set; } = [];

    /// <summary>Registers the dev app (<see cref="DevClientId"/> / <see cref="DevClientSecret"/>).</summary>
    public bool IncludeDevApp { get; set; } = true;

    public List<AppRegistrationOptions> Apps { get; set; } = [];

    /// <summary>Client ids of user-assigned managed identities (the system-assigned one always exists).</summary>
    public List<string> ManagedIdentities { get; set; } = [];

    /// <summary>Secret the App Service identity endpoint expects in <c>X-IDENTITY-HEADER</c>.</summary>
    public string IdentityHeader { get; set; } = "local-identity-header";

    /// <summary>Issuer of the federated tokens the stand-in mints as a Kubernetes cluster would.</summary>
    public string ClusterIssuer { get; set; } = "https://oidc.localazure.invalid/cluster";

    /// <summary>Compressed body limit: Azure rejects past 1,048,576 bytes (CONTRACT §2, prometheus-collector #421).</summary>
    public int MaxContentLength { get; set; } = 1_048_576;

    /// <summary>Cap on a decoded body.</summary>
    public int MaxDecodedLength { get; set; } = 32 * 1024 * 1024;

    /// <summary>Samples further than this from now are dropped as OldData (CONTRACT §2: ±20 minutes).</summary>
    public int SampleWindowMinutes { get; set; } = 20;

    /// <summary>Requests per minute before 429; 0 = no limit.</summary>
    public int RequestsPerMinute { get; set; }

    /// <summary>Samples per minute before 429; 0 = no limit.</summary>
    public long SamplesPerMinute { get; set; }

    /// <summary>An identity is refused (403) for this long after it is first seen, as a fresh role assignment (CONTRACT §2: ~30 min).</summary>
    public int RoleAssignmentDelaySeconds { get; set; }

    /// <summary>Who may ingest where; empty = every identity on every DCR.</summary>
    public List<RoleAssignmentOptions> RoleAssignments { get; set; } = [];

    /// <summary>Optional Prometheus remote-write receiver accepted bodies are copied to (also <c>FORWARD_URL</c>).</summary>
    public string? ForwardUrl { get; set; }
}

/// <summary>An Entra app registration: a secret, a certificate, and/or one federated credential.</summary>
public sealed class AppRegistrationOptions
{
    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    /// <summary>PEM or DER certificate (public part) whose key signs client assertions.</summary>
    public string? CertificatePath { get; set; }

    public string? FederatedIssuer { get; set; }

    public string? FederatedSubject { get; set; }

    /// <summary>Defaults to <c>api://AzureADTokenExchange</c>.</summary>
    public string? FederatedAudience { get; set; }
}

/// <summary>Role <i>Monitoring Metrics Publisher</i> of one identity on one DCR; <c>*</c> matches any.</summary>
public sealed class RoleAssignmentOptions
{
    public string PrincipalId { get; set; } = "*";

    public string Dcr { get; set; } = "*";
}
