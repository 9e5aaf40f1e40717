using RemoteWrite.Core.Configuration;
using RemoteWrite.Dapr;

namespace RemoteWrite.TokenService;

/// <summary>
/// Where the credential material is; section <c>TokenService</c>. The identity itself (type, client
/// and tenant id, audience, authority) is the shared section <c>Identity</c>.
/// </summary>
public sealed class TokenServiceOptions : IValidatedOptions
{
    public const string SectionName = "TokenService";

    /// <summary>Read the client secret or certificate from the Dapr secret store (for aadApplication without local material).</summary>
    public bool UseSecretStore { get; set; } = true;

    public string SecretStore { get; set; } = DaprNames.SecretStore;

    /// <summary>Secret holding the client secret.</summary>
    public string ClientSecretKey { get; set; } = DaprNames.ClientSecretKey;

    /// <summary>Secret holding the client certificate with its key: PEM text, or a PFX as base64.</summary>
    public string CertificateKey { get; set; } = DaprNames.CertificateKey;

    /// <summary>Secret holding the PFX or encrypted PEM password, if any.</summary>
    public string CertificatePasswordKey { get; set; } = DaprNames.CertificatePasswordKey;

    /// <summary>One secret store read may take this long.</summary>
    public TimeSpan SecretTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Set from <c>APP_API_TOKEN</c>: without it anyone who reaches the port could ask for a token.</summary>
    public bool AppApiTokenSet { get; set; }

    public IEnumerable<string> Validate()
    {
        if (!AppApiTokenSet)
        {
            yield return "APP_API_TOKEN must be set (for the app and its sidecar): the token service only answers calls that come through its sidecar.";
        }

        if (UseSecretStore && (string.IsNullOrWhiteSpace(SecretStore) || string.IsNullOrWhiteSpace(ClientSecretKey) || string.IsNullOrWhiteSpace(CertificateKey)))
        {
            yield return "TokenService:SecretStore, TokenService:ClientSecretKey and TokenService:CertificateKey must be set when TokenService:UseSecretStore is true.";
        }

        if (SecretTimeout <= TimeSpan.Zero)
        {
            yield return "TokenService:SecretTimeout must be positive.";
        }
    }
}
