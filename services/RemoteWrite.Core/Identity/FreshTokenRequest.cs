using System.Globalization;
using Azure.Core;

namespace RemoteWrite.Core.Identity;

/// <summary>
/// The token request to make after Azure refused a managed identity's token. MSAL gives every
/// <c>ManagedIdentityApplication</c> one process-wide token cache (MSAL
/// <c>ManagedIdentityApplicationBuilder.BuildConfiguration</c>: <c>AccessorOptions = CacheOptions.EnableSharedCacheOptions</c>),
/// so a new <c>ManagedIdentityCredential</c> hands back the refused token. A request with claims
/// skips that cache (MSAL <c>ManagedIdentityAuthRequest.ExecuteAsync</c>: "If we have claims, we do
/// NOT use the cached token"), and Azure.Identity passes <see cref="TokenRequestContext.Claims"/> on
/// (<c>MsalManagedIdentityClient.AcquireTokenForManagedIdentityAsyncCore</c>: <c>builder.WithClaims</c>).
/// </summary>
public static class FreshTokenRequest
{
    /// <summary>
    /// A CAE-style claims challenge, "a token not issued before <paramref name="now"/>": the shape
    /// Azure answers in <c>WWW-Authenticate</c>, so an endpoint that reads claims sees a sensible request.
    /// </summary>
    public static TokenRequestContext For(string scope, DateTimeOffset now)
    {
        var notBefore = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new TokenRequestContext([scope], claims: "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"" + notBefore + "\"}}}");
    }

    /// <summary>Only managed identity shares a cache across credentials; the other credentials start empty.</summary>
    public static bool IsNeeded(IdentityType type) => type is IdentityType.SystemAssigned or IdentityType.UserAssigned;
}
