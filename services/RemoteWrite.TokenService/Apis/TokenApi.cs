using System.Security.Cryptography;
using System.Text;
using RemoteWrite.Core.Identity;
using RemoteWrite.Dapr;

namespace RemoteWrite.TokenService.Apis;

/// <summary>
/// <c>GET /token</c>: the current token for the configured audience, from the shared background
/// token keeper (it refreshes ahead of expiry and never gives up). <c>POST /token/refresh</c> with
/// the hash of a token Azure refused: if that is still the current token, the keeper replaces it at
/// its source (a managed identity asks with claims, as the standalone relay does) and the new one is
/// answered. Only callers through the sidecar get in (<c>dapr-api-token</c> = <c>APP_API_TOKEN</c>,
/// CONTRACT.md §4a: otherwise 401); which apps may call is the Configuration's access control
/// (components/configuration.yaml). 503 while no token is held.
/// </summary>
public static class TokenApi
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/" + DaprNames.TokenMethod, GetTokenAsync).RequireAuthorization("Dapr");
        app.MapPost("/" + DaprNames.TokenRefreshMethod, RefreshAsync).RequireAuthorization("Dapr");
        return app;
    }

    private static async Task<IResult> GetTokenAsync(IAccessTokenSource tokens, ITokenStatus status, CancellationToken cancellationToken) =>
        Answer(await tokens.GetTokenAsync(cancellationToken), status);

    private static async Task<IResult> RefreshAsync(TokenRefreshRequest request, IAccessTokenSource tokens, ITokenStatus status, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefusedTokenSha256))
        {
            return TypedResults.Problem("refusedTokenSha256 is required", statusCode: StatusCodes.Status400BadRequest);
        }

        if (await tokens.GetTokenAsync(cancellationToken) is { } current && SameHash(current.Token, request.RefusedTokenSha256))
        {
            tokens.Invalidate(current);
        }

        // The keeper answers the new token once it has one (or the same one when it judged the
        // refused token too young to replace: a missing role must not flood Entra ID).
        return Answer(await tokens.GetTokenAsync(cancellationToken), status);
    }

    private static IResult Answer(Azure.Core.AccessToken? token, ITokenStatus status) => token is { } held
        ? TypedResults.Ok(new TokenResponse(held.Token, held.ExpiresOn))
        : TypedResults.Problem(
            status.LastError is { } error ? $"no token yet: {error}" : "no token yet",
            statusCode: StatusCodes.Status503ServiceUnavailable);

    private static bool SameHash(string token, string hexHash) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(TokenRefreshRequest.Hash(token)),
            Encoding.ASCII.GetBytes(hexHash.Trim().ToLowerInvariant()));
}
