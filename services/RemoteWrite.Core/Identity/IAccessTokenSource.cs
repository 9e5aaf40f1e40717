using Azure.Core;

namespace RemoteWrite.Core.Identity;

/// <summary>
/// Where a sender gets its Entra ID bearer token. The standalone relay holds a credential and
/// refreshes in the background; the Dapr forwarder asks the token service. Implementations never
/// log the token.
/// </summary>
public interface IAccessTokenSource
{
    /// <summary>The current token, or null when none is held (the caller answers "try again").</summary>
    ValueTask<AccessToken?> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>Azure answered 401/403 with this token: drop it and fetch a new one before the next use.</summary>
    void Invalidate(AccessToken rejected);
}
