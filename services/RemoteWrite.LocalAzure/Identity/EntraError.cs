using System.Text.Json.Nodes;

namespace RemoteWrite.LocalAzure.Identity;

/// <summary>
/// An Entra token endpoint error: HTTP status plus the OAuth body Azure.Identity turns into
/// <c>AuthenticationFailedException</c> (CONTRACT §2a). Codes are Entra's real AADSTS numbers.
/// </summary>
internal sealed record EntraError(int Status, string Error, int Code, string Description)
{
    public static EntraError UnsupportedGrant(string? grant) =>
        new(400, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grant}'.");

    public static EntraError MissingClientId() =>
        new(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");

    public static EntraError InvalidScope(string? scope) =>
        new(400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");

    public static EntraError ResourceNotFound(string resource, string tenant) =>
        new(400, "invalid_resource", 500011, $"The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.");

    public static EntraError UnknownApp(string clientId, string tenant) =>
        new(400, "unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.");

    public static EntraError NoCredential() =>
        new(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");

    public static EntraError InvalidSecret(string clientId) =>
        new(401, "invalid_client", 7000215, $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");

    public static EntraError BadAssertionType(string? type) =>
        new(400, "invalid_request", 700025, $"Client assertion type '{type}' is not supported; expected urn:ietf:params:oauth:client-assertion-type:jwt-bearer.");

    public static EntraError MalformedAssertion(string reason) =>
        new(400, "invalid_request", 50027, $"JWT token is invalid or malformed. {reason}");

    public static EntraError BadSignature(string reason) =>
        new(401, "invalid_client", 700027, $"Client assertion failed signature validation. [Reason - {reason}]");

    public static EntraError AssertionExpired() =>
        new(400, "invalid_client", 700024, "Client assertion is not within its valid time range.");

    public static EntraError AssertionAudience(string? audience) =>
        new(400, "invalid_client", 700212, $"No matching federated identity record found for presented assertion audience '{audience}'.");

    public static EntraError AssertionSubject(string? issuer, string? subject, string? audience) =>
        new(400, "invalid_client", 70021, $"No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: '{audience}'.");

    public JsonObject ToJson(DateTimeOffset now)
    {
        var traceId = Guid.NewGuid().ToString();
        return new JsonObject
        {
            ["error"] = Error,
            ["error_description"] = $"AADSTS{Code}: {Description} Trace ID: {traceId} Timestamp: {now:yyyy-MM-dd HH:mm:ssZ}",
            ["error_codes"] = new JsonArray(Code),
            ["timestamp"] = now.ToString("yyyy-MM-dd HH:mm:ssZ"),
            ["trace_id"] = traceId,
            ["correlation_id"] = Guid.NewGuid().ToString(),
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={Code}",
        };
    }
}
