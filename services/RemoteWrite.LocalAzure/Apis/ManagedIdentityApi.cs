using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Faults;
using RemoteWrite.LocalAzure.Identity;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Apis;

/// <summary>
/// Managed identity endpoints as MSAL (inside Azure.Identity) calls them, over plain http (CONTRACT §2a):
/// IMDS (<c>AZURE_POD_IDENTITY_AUTHORITY_HOST</c>) and App Service (<c>IDENTITY_ENDPOINT</c> + <c>IDENTITY_HEADER</c>).
/// </summary>
public static class ManagedIdentityApi
{
    public const string AppServicePath = "/msi/token";

    public static IEndpointRouteBuilder MapManagedIdentityApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metadata/identity/oauth2/token", ImdsAsync);
        app.MapGet(AppServicePath, AppServiceAsync);
        return app;
    }

    internal static async Task<IResult> ImdsAsync(
        HttpContext context, AppRegistry registry, AccessTokenIssuer issuer, FaultInjector faults, TimeProvider time, IOptionsMonitor<LocalAzureOptions> options)
    {
        if (await FaultResponder.ApplyAsync(context, faults, FaultTarget.Token, time) is { } fault)
        {
            return fault;
        }

        // IMDS refuses requests without "Metadata: true" (SSRF protection; Azure IMDS docs).
        if (!string.Equals(context.Request.Headers["Metadata"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return ImdsError(400, "invalid_request", "Required metadata header not specified");
        }

        return Issue(context, registry, issuer, options.CurrentValue, "imds");
    }

    internal static async Task<IResult> AppServiceAsync(
        HttpContext context, AppRegistry registry, AccessTokenIssuer issuer, FaultInjector faults, TimeProvider time, IOptionsMonitor<LocalAzureOptions> options)
    {
        if (await FaultResponder.ApplyAsync(context, faults, FaultTarget.Token, time) is { } fault)
        {
            return fault;
        }

        // App Service checks X-IDENTITY-HEADER against IDENTITY_HEADER (CONTRACT §2a).
        if (!string.Equals(context.Request.Headers["X-IDENTITY-HEADER"], options.CurrentValue.IdentityHeader, StringComparison.Ordinal))
        {
            return ImdsError(401, "invalid_request", "The X-IDENTITY-HEADER header is missing or wrong.");
        }

        return Issue(context, registry, issuer, options.CurrentValue, "appservice");
    }

    private static IResult Issue(HttpContext context, AppRegistry registry, AccessTokenIssuer issuer, LocalAzureOptions options, string kind)
    {
        var query = context.Request.Query;
        if (string.IsNullOrEmpty(query["api-version"]))
        {
            return ImdsError(400, "invalid_request", "Required query variable 'api-version' is missing");
        }

        var resource = query["resource"].ToString();
        if (string.IsNullOrEmpty(resource))
        {
            return ImdsError(400, "invalid_request", "Required query variable 'resource' is missing");
        }

        // MSAL sends the scope minus "/.default"; tolerate the suffix anyway.
        if (resource.EndsWith("/.default", StringComparison.OrdinalIgnoreCase))
        {
            resource = resource[..^"/.default".Length];
        }

        if (!ResourceCatalog.IsKnown(options, resource))
        {
            return ImdsError(400, "invalid_resource", $"AADSTS500011: The resource principal named {resource} was not found in the tenant.");
        }

        var clientId = query["client_id"].ToString();
        if (string.IsNullOrEmpty(clientId))
        {
            clientId = LocalAzureOptions.SystemAssignedClientId;
        }
        else if (!registry.IsManagedIdentity(clientId))
        {
            // Azure IMDS answers an unknown user-assigned identity with 400 "Identity not found".
            return ImdsError(400, "invalid_request", "Identity not found");
        }

        var token = issuer.Issue(clientId, AccessTokenIssuer.DefaultTenant, ResourceCatalog.Canonical(resource), kind);

        // CONTRACT §2a: expires_on (unix seconds) and expires_in as strings; 1.17 needs expires_on.
        return Results.Json(new JsonObject
        {
            ["access_token"] = token.AccessToken,
            ["client_id"] = clientId,
            ["expires_on"] = token.ExpiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["expires_in"] = token.ExpiresIn.ToString(CultureInfo.InvariantCulture),
            ["ext_expires_in"] = token.ExpiresIn.ToString(CultureInfo.InvariantCulture),
            ["not_before"] = (token.ExpiresOn.ToUnixTimeSeconds() - token.ExpiresIn).ToString(CultureInfo.InvariantCulture),
            ["resource"] = token.Resource,
            ["token_type"] = "Bearer",
        });
    }

    private static IResult ImdsError(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);
}
