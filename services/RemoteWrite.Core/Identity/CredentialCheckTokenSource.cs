using Azure.Core;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure.Check;

namespace RemoteWrite.Core.Identity;

/// <summary>
/// The <c>check</c> command's token in the relay: one token straight from the configured credential
/// (the same factory and options the keeper uses), since the keeper's background loop is not running.
/// </summary>
public sealed class CredentialCheckTokenSource(ITokenCredentialFactory factory, IOptions<IdentityOptions> options) : ICheckTokenSource
{
    public async Task<AccessToken> GetTokenAsync(string destination, CancellationToken cancellationToken)
    {
        var identity = options.Value;
        return await factory.Create(identity).GetTokenAsync(new TokenRequestContext([identity.Scope]), cancellationToken);
    }
}
