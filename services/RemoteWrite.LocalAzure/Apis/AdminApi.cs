using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Faults;
using RemoteWrite.LocalAzure.Identity;
using RemoteWrite.LocalAzure.Ingestion;
using RemoteWrite.LocalAzure.Options;
using RemoteWrite.LocalAzure.Tls;

namespace RemoteWrite.LocalAzure.Apis;

/// <summary>
/// Test and operator controls under <c>/admin</c>: register apps and identities, mint tokens,
/// set role assignments, limits and faults, and see what arrived. Unauthenticated: a local tool only.
/// </summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").DisableAntiforgery();
        admin.MapPost("/apps", RegisterApp);
        admin.MapPost("/managed-identities", RegisterManagedIdentity);
        admin.MapPost("/federated-token", MintFederatedToken);
        admin.MapPost("/tokens", MintAccessToken);
        admin.MapPut("/role-assignments", SetRoleAssignments);
        admin.MapPut("/limits", SetLimits);
        admin.MapPost("/faults", SetFault);
        admin.MapGet("/faults", GetFault);
        admin.MapDelete("/faults", ClearFault);
        admin.MapGet("/stats", GetStats);
        admin.MapGet("/series", GetSeries);
        admin.MapPost("/reset", Reset);
        admin.MapGet("/ca", GetCa);
        return app;
    }

    internal static IResult RegisterApp(AppRegistrationRequest request, AppRegistry registry)
    {
        if (string.IsNullOrWhiteSpace(request.ClientId))
        {
            return TypedResults.BadRequest(new { error = "clientId is required" });
        }

        registry.Register(
            new AppRegistrationOptions
            {
                ClientId = request.ClientId,
                ClientSecret = request.ClientSecret,
                FederatedIssuer = request.FederatedIssuer,
                FederatedSubject = request.FederatedSubject,
                FederatedAudience = request.FederatedAudience,
            },
            request.CertificatePem);
        return TypedResults.Created($"/admin/apps/{request.ClientId}", new { clientId = request.ClientId });
    }

    internal static IResult RegisterManagedIdentity(ManagedIdentityRequest request, AppRegistry registry)
    {
        if (string.IsNullOrWhiteSpace(request.ClientId))
        {
            return TypedResults.BadRequest(new { error = "clientId is required" });
        }

        registry.AddManagedIdentity(request.ClientId);
        return TypedResults.Created($"/admin/managed-identities/{request.ClientId}", new { clientId = request.ClientId });
    }

    internal static IResult MintFederatedToken(FederatedTokenRequest request, FederatedTokenMinter minter) =>
        string.IsNullOrWhiteSpace(request.Subject)
            ? TypedResults.BadRequest(new { error = "subject is required" })
            : TypedResults.Ok(new { token = minter.Mint(request.Subject, request.Issuer, request.Audience, request.LifetimeSeconds ?? 3600) });

    /// <summary>Mints an access token directly (any audience, any lifetime, even negative) to test the 401 paths.</summary>
    internal static IResult MintAccessToken(AccessTokenRequest request, AccessTokenIssuer issuer) =>
        string.IsNullOrWhiteSpace(request.ClientId)
            ? TypedResults.BadRequest(new { error = "clientId is required" })
            : TypedResults.Ok(new
            {
                access_token = issuer.Issue(request.ClientId, AccessTokenIssuer.DefaultTenant, request.Resource ?? ResourceCatalog.MonitorResources[0], "admin", request.LifetimeSeconds).AccessToken,
            });

    internal static IResult SetRoleAssignments(RoleAssignmentsRequest request, RoleAssignments roles)
    {
        roles.Set(request.Assignments ?? [], request.DelaySeconds ?? 0);
        return TypedResults.NoContent();
    }

    internal static IResult SetLimits(LimitsRequest request, IngestionRateLimiter limiter)
    {
        limiter.RequestsPerMinute = request.RequestsPerMinute ?? 0;
        limiter.SamplesPerMinute = request.SamplesPerMinute ?? 0;
        limiter.Reset();
        return TypedResults.NoContent();
    }

    internal static IResult SetFault(FaultPlan plan, FaultInjector faults)
    {
        if (plan.Status is { } status && (status < 100 || status > 599))
        {
            return TypedResults.BadRequest(new { error = "status must be an HTTP status code" });
        }

        faults.Set(plan);
        return TypedResults.Created("/admin/faults", plan);
    }

    internal static IResult GetFault(FaultInjector faults) => faults.Active is { } plan ? TypedResults.Ok(plan) : TypedResults.NoContent();

    internal static IResult ClearFault(FaultInjector faults)
    {
        faults.Clear();
        return TypedResults.NoContent();
    }

    internal static IResult GetStats(IngestionStats stats, SeriesStore series, TokenIssuanceStats tokens) => TypedResults.Ok(new
    {
        total = stats.Total,
        series = series.Count,
        byDcr = stats.ByDcr,
        byIdentity = stats.ByIdentity,
        tokens,
    });

    internal static IResult GetSeries(SeriesStore series, int? limit) => TypedResults.Ok(series.All
        .OrderBy(s => s.Labels, StringComparer.Ordinal)
        .Take(limit ?? 10_000)
        .Select(s => new { labels = s.Labels, value = double.IsFinite(s.LastValue) ? (double?)s.LastValue : null, timestampMs = s.LastTimestampMs, samples = s.Samples }));

    internal static IResult Reset(IngestionStats stats, SeriesStore series, FaultInjector faults, IngestionRateLimiter limiter, TokenIssuanceStats tokens)
    {
        stats.Reset();
        tokens.Reset();
        series.Clear();
        faults.Clear();
        limiter.Reset();
        return TypedResults.NoContent();
    }

    internal static IResult GetCa(LocalCertificateAuthority ca) => TypedResults.Text(ca.CaPem, "application/x-pem-file");
}

public sealed record AppRegistrationRequest(
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("clientSecret")] string? ClientSecret = null,
    [property: JsonPropertyName("certificatePem")] string? CertificatePem = null,
    [property: JsonPropertyName("federatedIssuer")] string? FederatedIssuer = null,
    [property: JsonPropertyName("federatedSubject")] string? FederatedSubject = null,
    [property: JsonPropertyName("federatedAudience")] string? FederatedAudience = null);

public sealed record ManagedIdentityRequest([property: JsonPropertyName("clientId")] string ClientId);

public sealed record FederatedTokenRequest(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("issuer")] string? Issuer = null,
    [property: JsonPropertyName("audience")] string? Audience = null,
    [property: JsonPropertyName("lifetimeSeconds")] int? LifetimeSeconds = null);

public sealed record AccessTokenRequest(
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("resource")] string? Resource = null,
    [property: JsonPropertyName("lifetimeSeconds")] int? LifetimeSeconds = null);

public sealed record RoleAssignmentsRequest(
    [property: JsonPropertyName("assignments")] List<RoleAssignmentOptions>? Assignments,
    [property: JsonPropertyName("delaySeconds")] int? DelaySeconds);

public sealed record LimitsRequest(
    [property: JsonPropertyName("requestsPerMinute")] int? RequestsPerMinute,
    [property: JsonPropertyName("samplesPerMinute")] long? SamplesPerMinute);
