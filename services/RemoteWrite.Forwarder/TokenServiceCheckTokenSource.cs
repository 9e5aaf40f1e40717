using Azure.Core;
using RemoteWrite.Core.Azure.Check;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Forwarder;

/// <summary>The <c>check</c> command's token in the forwarder: one from the token service through daprd, as deliveries get theirs.</summary>
public sealed class TokenServiceCheckTokenSource(IAccessTokenSource tokens, ITokenStatus status) : ICheckTokenSource
{
    public async Task<AccessToken> GetTokenAsync(string destination, CancellationToken cancellationToken) =>
        await tokens.GetTokenAsync(cancellationToken)
        ?? throw new CheckFailedException(CheckProblem.Token, $"the token service gave no token ({status.LastError ?? "no reason given"}; are daprd and the token service running?)");
}
