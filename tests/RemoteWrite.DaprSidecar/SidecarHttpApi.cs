using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RemoteWrite.DaprSidecar;

/// <summary>The sidecar HTTP API the SDK calls: health and service invocation.</summary>
public static class SidecarHttpApi
{
    public static void MapSidecarHttpApi(this IEndpointRouteBuilder app)
    {
        // daprd pkg/http/api.go onGetHealthz / onGetOutboundHealthz: 204 healthy, 500 not; no token needed.
        app.MapGet("/v1.0/healthz", (SidecarRuntime rt) => rt.Healthy ? Results.NoContent() : Results.StatusCode(500));
        app.MapGet("/v1.0/healthz/outbound", (SidecarRuntime rt) => rt.Healthy ? Results.NoContent() : Results.StatusCode(500));
        app.Map("/v1.0/invoke/{appId}/method/{**method}", InvokeAsync);
    }

    /// <summary>
    /// Service invocation (daprd pkg/http/api_directmessaging.go → the callee's daprd, which checks
    /// its access control, pkg/acl/acl.go, then calls its app with the app token). Denied: 403
    /// <c>ERR_DIRECT_INVOKE</c> with the PermissionDenied text (tests/e2e allowlists); no such app
    /// or the app not answering: 500 <c>ERR_DIRECT_INVOKE</c>; otherwise the app's answer as it is.
    /// </summary>
    private static async Task InvokeAsync(HttpContext context, string appId, string method, SidecarRuntime rt)
    {
        if (!rt.CheckApiToken(context))
        {
            await ErrorAsync(context, 401, "ERR_UNAUTHORIZED", "invalid api token");
            return;
        }

        var verb = context.Request.Method;
        if (!rt.Network.TryResolve(appId, out var target) || target.Options.AppAddress is null)
        {
            await ErrorAsync(context, 500, "ERR_DIRECT_INVOKE", $"failed to invoke, id: {appId}, err: couldn't find service: {appId}");
            return;
        }

        var caller = rt.Options.AppId;
        // Self-hosted and Kubernetes stand-ins use namespace "default" and trust domain "public", as daprd's defaults.
        var identity = rt.Options.MtlsEnabled && target.Options.MtlsEnabled ? new CallerIdentity(caller, "default", "public") : null;
        if (!target.Options.AccessControl.Allows(identity, method, verb))
        {
            await ErrorAsync(context, 403, "ERR_DIRECT_INVOKE",
                $"failed to invoke, id: {appId}, err: rpc error: code = PermissionDenied desc = access control policy has denied access to id: spiffe://public/ns/default/{caller} operation: {method} verb: {verb}");
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(verb), new Uri(target.Options.AppAddress, method + context.Request.QueryString));
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentType is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (!IsHopOrOwn(name))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        request.Headers.TryAddWithoutValidation("dapr-caller-app-id", caller);
        request.Headers.TryAddWithoutValidation("dapr-callee-app-id", appId);
        target.Runtime.AddAppToken(request);

        HttpResponseMessage response;
        try
        {
            response = await target.Runtime.AppClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await ErrorAsync(context, 500, "ERR_DIRECT_INVOKE", $"failed to invoke, id: {appId}, err: {e.Message}");
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } type)
            {
                context.Response.ContentType = type.ToString();
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private static bool IsHopOrOwn(string name) =>
        name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals(SidecarRuntime.ApiTokenHeader, StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);

    internal static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["errorCode"] = code, ["message"] = message }));
    }

    internal static bool IsSuccess(HttpStatusCode code) => (int)code is >= 200 and <= 299;
}
