using RemoteWrite.Core.Identity;
using RemoteWrite.Dapr;

namespace RemoteWrite.TokenService.Apis;

/// <summary>
/// <c>GET /token</c>: the current token for the configured audience, from the shared background
/// token keeper (it refreshes ahead of expiry and never gives up). Only callers through the sidecar
/// get in (<c>dapr-api-token</c> = <c>APP_API_TOKEN</c>, CONTRACT.md §4a: otherwise 401); which apps
/// may call is the Configuration's access control (components/configuration.yaml). 503 while no token is held.
/// </summary>
public static class TokenApi
{
    public static IEndpointConventionBuilder MapTokenApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/" + DaprNames.TokenMethod, GetTokenAsync).RequireAuthorization("Dapr");

    private static async Task<IResult> GetTokenAsync(IAccessTokenSource tokens, ITokenStatus status, CancellationToken cancellationToken)
    {
        if (await tokens.GetTokenAsync(cancellationToken) is not { } token)
        {
            return TypedResults.Problem(
                status.LastError is { } error ? $"no token yet: {error}" : "no token yet",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Ok(new TokenResponse(token.Token, token.ExpiresOn));
    }
}
