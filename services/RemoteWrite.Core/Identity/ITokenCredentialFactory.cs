using Azure.Core;

namespace RemoteWrite.Core.Identity;

/// <summary>Builds the credential for an identity. The token keeper calls it again whenever a credential file changes.</summary>
public interface ITokenCredentialFactory
{
    TokenCredential Create(IdentityOptions options);
}
