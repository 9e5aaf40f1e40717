using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Faults;
using RemoteWrite.LocalAzure.Identity;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Apis;

/// <summary>
/// Entra ID v2 token endpoint for client credentials, as ClientSecretCredential,
/// ClientCertificateCredential and WorkloadIdentityCredential call it (CONTRACT §2a).
/// </summary>
public static class TokenApi
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{tenant}/oauth2/v2.0/token", IssueAsync).DisableAntiforgery();
        return app;
    }

    internal static async Task<IResult> IssueAsync(
        string tenant,
        HttpContext context,
        ClientCredentialVerifier verifier,
        AccessTokenIssuer issuer,
        FaultInjector faults,
        TimeProvider time,
        IOptionsMonitor<LocalAzureOptions> options,
        ILoggerFactory loggers)
    {
        if (await FaultResponder.ApplyAsync(context, faults, FaultTarget.Token, time) is { } fault)
        {
            return fault;
        }

        var logger = loggers.CreateLogger("RemoteWrite.LocalAzure.Token");
        if (!context.Request.HasFormContentType)
        {
            return Error(EntraError.MissingClientId(), time);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var grant = form["grant_type"].ToString();
        if (grant != "client_credentials")
        {
            return Error(EntraError.UnsupportedGrant(grant), time);
        }

        var clientId = form["client_id"].ToString();
        var request = new ClientCredentialRequest(
            tenant,
            clientId,
            form.ContainsKey("client_secret") ? form["client_secret"].ToString() : null,
            form.ContainsKey("client_assertion_type") ? form["client_assertion_type"].ToString() : null,
            form.ContainsKey("client_assertion") ? form["client_assertion"].ToString() : null,
            $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}");

        // Authenticate first: Entra reports an unknown app or bad credential before a bad scope.
        if (verifier.Authenticate(request) is { } failure)
        {
            // Client id only: secrets and assertions are never logged.
            logger.LogInformation("Token refused for client {ClientId}: AADSTS{Code}", clientId, failure.Code);
            return Error(failure, time);
        }

        var scope = form["scope"].ToString();
        if (!ResourceCatalog.TryResourceOfScope(scope, out var resource))
        {
            return Error(EntraError.InvalidScope(scope), time);
        }

        if (!ResourceCatalog.IsKnown(options.CurrentValue, resource))
        {
            return Error(EntraError.ResourceNotFound(resource, tenant), time);
        }

        var kind = request.ClientSecret is not null ? "secret" : "assertion";
        var token = issuer.Issue(clientId, tenant, ResourceCatalog.Canonical(resource), kind, credential: CredentialOf(request, kind));
        logger.LogInformation("Token issued to client {ClientId} for {Resource} ({Kind})", clientId, token.Resource, kind);
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = token.ExpiresIn,
            ["ext_expires_in"] = token.ExpiresIn,
            ["access_token"] = token.AccessToken,
        });
    }

    // A certificate assertion names its certificate in the header (CONTRACT §2a: x5t#S256); thumbprints are public.
    private static string CredentialOf(ClientCredentialRequest request, string kind) =>
        Jwt.TryDecode(request.Assertion, out var jwt) && jwt.HeaderString("x5t#S256") is { } thumbprint ? "x5t#S256:" + thumbprint : kind;

    private static IResult Error(EntraError error, TimeProvider time) => Results.Json(error.ToJson(time.GetUtcNow()), statusCode: error.Status);
}
