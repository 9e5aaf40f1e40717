using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace RemoteWrite.Core.Identity;

/// <summary>
/// Builds the real Azure.Identity credential for <see cref="IdentityOptions"/>: managed identity
/// (system or user assigned), client secret, client certificate, or workload identity. Never the
/// <c>DefaultAzureCredential</c> chain: its IMDS probe and fall-through hide configuration mistakes
/// (CONTRACT.md §2a).
/// </summary>
/// <param name="transport">For tests only: the HTTP transport of the credential (e.g. trusting a stand-in's CA).</param>
public sealed class AzureCredentialFactory(HttpPipelineTransport? transport = null) : ITokenCredentialFactory
{
    public TokenCredential Create(IdentityOptions options)
    {
        var authority = options.EffectiveAuthorityHost;

        // MSAL asks login.microsoftonline.com to validate any other authority first; that fails
        // offline and in sovereign/private clouds (CONTRACT.md §2a).
        var disableDiscovery = authority is not null && !AzureClouds.IsKnownAuthorityHost(authority);

        switch (options.EffectiveType)
        {
            case IdentityType.UserAssigned:
                return new ManagedIdentityCredential(Configure(new ManagedIdentityCredentialOptions(ManagedIdentityId.FromUserAssignedClientId(options.ClientId!)), null));

            case IdentityType.AadApplication when !string.IsNullOrWhiteSpace(options.CertificatePath):
                var certificate = CertificateFile.Load(options.CertificatePath, options.CertificatePassword);
                var certificateOptions = Configure(new ClientCertificateCredentialOptions { DisableInstanceDiscovery = disableDiscovery, SendCertificateChain = options.SendCertificateChain }, authority);
                return new ClientCertificateCredential(options.TenantId, options.ClientId, certificate, certificateOptions);

            case IdentityType.AadApplication:
                var secret = !string.IsNullOrWhiteSpace(options.ClientSecretFile) ? File.ReadAllText(options.ClientSecretFile).Trim() : options.ClientSecret!;
                return new ClientSecretCredential(options.TenantId, options.ClientId, secret, Configure(new ClientSecretCredentialOptions { DisableInstanceDiscovery = disableDiscovery }, authority));

            case IdentityType.WorkloadIdentity:
                return new WorkloadIdentityCredential(Configure(
                    new WorkloadIdentityCredentialOptions
                    {
                        ClientId = options.ClientId,
                        TenantId = options.TenantId,
                        TokenFilePath = options.FederatedTokenFile,
                        DisableInstanceDiscovery = disableDiscovery,
                    },
                    authority));

            default:
                return new ManagedIdentityCredential(Configure(new ManagedIdentityCredentialOptions(ManagedIdentityId.SystemAssigned), null));
        }
    }

    private T Configure<T>(T credentialOptions, Uri? authority)
        where T : TokenCredentialOptions
    {
        if (authority is not null)
        {
            credentialOptions.AuthorityHost = authority;
        }

        if (transport is not null)
        {
            credentialOptions.Transport = transport;
        }

        return credentialOptions;
    }
}
