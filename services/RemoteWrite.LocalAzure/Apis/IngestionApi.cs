using System.Globalization;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Faults;
using RemoteWrite.LocalAzure.Identity;
using RemoteWrite.LocalAzure.Ingestion;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Apis;

/// <summary>
/// Azure Monitor workspace ingestion for Prometheus remote-write (CONTRACT §2):
/// <c>POST /dataCollectionRules/{dcr}/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24</c>.
/// Checks run in the order a caller can fix them: auth (401), role (403), throttling (429),
/// size (413), content type (415), body (400); then 200 with an empty body.
/// </summary>
public static class IngestionApi
{
    public const string Stream = "Microsoft-PrometheusMetrics";

    // CONTRACT §2: 2023-04-24, and the older 2021-11-01-preview still seen.
    private static readonly string[] ApiVersions = ["2023-04-24", "2021-11-01-preview"];

    public static IEndpointRouteBuilder MapIngestionApi(this IEndpointRouteBuilder app)
    {
        app.MapPost($"/dataCollectionRules/{{dcr}}/streams/{Stream}/api/v1/write", WriteAsync).DisableAntiforgery();
        return app;
    }

    internal static async Task<IResult> WriteAsync(string dcr, HttpContext context, [AsParameters] IngestionServices services)
    {
        var result = await HandleAsync(dcr, context, services);
        services.Metrics.Request(context.Response.HasStarted ? context.Response.StatusCode : StatusOf(result));
        return result;
    }

    private static async Task<IResult> HandleAsync(string dcr, HttpContext context, IngestionServices s)
    {
        if (await FaultResponder.ApplyAsync(context, s.Faults, FaultTarget.Ingestion, s.Time) is { } fault)
        {
            s.Stats.Reject(dcr, null, StatusOf(fault));
            return fault;
        }

        var apiVersion = context.Request.Query["api-version"].ToString();
        if (!ApiVersions.Contains(apiVersion, StringComparer.OrdinalIgnoreCase))
        {
            return Reject(s, dcr, null, AzureErrors.Json(400, "InvalidApiVersion", $"The api-version '{apiVersion}' is not supported. Supported versions: {string.Join(", ", ApiVersions)}."));
        }

        var principal = s.Tokens.Validate(context.Request.Headers.Authorization);
        if (principal.Check != TokenCheck.Valid)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Reject(s, dcr, principal.ClientId, principal.Check switch
            {
                TokenCheck.InvalidAudience => AzureErrors.Json(401, "InvalidAudience", $"The audience '{principal.Audience}' of the token is not valid for this resource."),
                TokenCheck.Expired => AzureErrors.Json(401, "ExpiredAuthenticationToken", "The access token has expired."),
                TokenCheck.Missing => AzureErrors.Json(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."),
                _ => AzureErrors.Json(401, "InvalidAuthenticationToken", "The access token is invalid."),
            });
        }

        var clientId = principal.ClientId!;
        if (!s.Roles.Allows(clientId, AccessTokenIssuer.ObjectIdOf(clientId).ToString(), dcr))
        {
            return Reject(s, dcr, clientId, AzureErrors.NoAccess(dcr));
        }

        if (s.RateLimiter.TryAcquireRequest() is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return Reject(s, dcr, clientId, AzureErrors.Json(429, "TooManyRequests", "Request rate or ingested events per minute over the limit."));
        }

        var options = s.Options.CurrentValue;
        var max = options.MaxContentLength;
        if (context.Request.ContentLength is { } declared && declared > max)
        {
            return Reject(s, dcr, clientId, AzureErrors.TooLarge(max, declared));
        }

        // Azure ingests remote-write 1.0 only: a 2.0 content type or another encoding is 415 (CONTRACT §1, §2).
        if (IngestionContent.Refusal(context.Request.ContentType, context.Request.Headers.ContentEncoding) is { } refusal)
        {
            return Reject(s, dcr, clientId, AzureErrors.Json(415, "UnsupportedMediaType", refusal));
        }

        using var body = await IngestionBody.ReadAsync(context.Request.Body, context.Request.ContentLength, max, context.RequestAborted);
        if (body.TooLarge)
        {
            return Reject(s, dcr, clientId, AzureErrors.TooLarge(max, body.Length));
        }

        WriteSummary summary;
        try
        {
            var request = IngestionDecoder.Decode(body.Span, options.MaxDecodedLength);
            var now = s.Time.GetUtcNow().ToUnixTimeMilliseconds();
            summary = WriteRequestWalker.Walk(request, now, options.SampleWindowMinutes * 60_000L, s.Series);
        }
        catch (IngestionException e)
        {
            return Reject(s, dcr, clientId, AzureErrors.Json(e.StatusCode, e.StatusCode == 413 ? "ContentLengthLimitExceeded" : "InvalidRequestBody", e.Message));
        }

        s.RateLimiter.AddSamples(summary.Samples + summary.Histograms);
        s.Stats.Accept(dcr, clientId, body.Length, summary);
        s.Metrics.Stored(summary.SamplesStored);
        s.Metrics.DroppedOldData(summary.DroppedOldData);
        s.Forwarder.TryForward(body.Span);

        // Azure answers 200 with an empty body.
        return Results.Ok();
    }

    private static IResult Reject(IngestionServices s, string dcr, string? identity, IResult result)
    {
        s.Stats.Reject(dcr, identity, StatusOf(result));
        return result;
    }

    private static int StatusOf(IResult result) => result is IStatusCodeHttpResult { StatusCode: { } status } ? status : 200;
}

/// <summary>The ingestion endpoint's dependencies, bound with <c>[AsParameters]</c>.</summary>
internal sealed record IngestionServices(
    AccessTokenValidator Tokens,
    RoleAssignments Roles,
    IngestionRateLimiter RateLimiter,
    FaultInjector Faults,
    SeriesStore Series,
    IngestionStats Stats,
    LocalAzureMetrics Metrics,
    RemoteWriteForwarder Forwarder,
    TimeProvider Time,
    IOptionsMonitor<LocalAzureOptions> Options);
