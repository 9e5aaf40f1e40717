using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using global::Azure.Identity;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Batching;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Azure.Check;

/// <summary>
/// The <c>check</c> command's work: for every destination (<see cref="ICheckTargets"/>) get a token
/// (<see cref="ICheckTokenSource"/>), then POST an empty remote-write request (a valid
/// snappy-compressed empty <c>WriteRequest</c>: one byte, length 0) to each endpoint, and say per
/// endpoint which of URL, DNS/network, TLS, identity, token, role or body limit is wrong, or OK.
/// Uses its own HttpClient (<see cref="HttpClientName"/>): no retries, so the first answer is the verdict.
/// </summary>
public sealed class ConnectionCheck(
    ICheckTargets targets,
    ICheckTokenSource tokens,
    IHttpClientFactory clients,
    IOptions<AzureMonitorOptions> azure,
    IOptions<WriteLimits> limits)
{
    public const string HttpClientName = "AzureMonitorCheck";

    /// <summary>Snappy's encoding of zero bytes: the empty WriteRequest.</summary>
    public static readonly byte[] EmptyWriteRequest = [0];

    public static readonly TimeSpan TokenTimeout = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<CheckVerdict>> RunAsync(CancellationToken cancellationToken)
    {
        var verdicts = new List<CheckVerdict>();
        foreach (var target in targets.Targets())
        {
            var (token, tokenProblem, tokenDetail) = await TokenAsync(target.Destination, cancellationToken);
            foreach (var endpoint in target.Endpoints)
            {
                if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                {
                    verdicts.Add(new CheckVerdict(target.Destination, endpoint, CheckProblem.Url, "not an absolute http(s) URL"));
                    continue;
                }

                verdicts.Add(token is { } t
                    ? await PostAsync(target.Destination, url, t, cancellationToken)
                    : new CheckVerdict(target.Destination, endpoint, tokenProblem, tokenDetail));
            }
        }

        return verdicts;
    }

    private async Task<(global::Azure.Core.AccessToken? Token, CheckProblem Problem, string Detail)> TokenAsync(string destination, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TokenTimeout);
        try
        {
            return (await tokens.GetTokenAsync(destination, timeout.Token), CheckProblem.None, "");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, CheckProblem.Network, $"no token within {TokenTimeout.TotalSeconds:0} s (is the authority / IMDS / token service reachable?)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var (problem, why) = Classify(e);
            // Network and TLS problems are the authority's; anything else the identity's configuration.
            return (null, problem == CheckProblem.Service ? CheckProblem.Identity : problem, "getting a token: " + why);
        }
    }

    private async Task<CheckVerdict> PostAsync(string destination, Uri url, global::Azure.Core.AccessToken token, CancellationToken cancellationToken)
    {
        var endpoint = url.OriginalString;
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(EmptyWriteRequest) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Content.Headers.ContentEncoding.Add("snappy");
        request.Headers.TryAddWithoutValidation("X-Prometheus-Remote-Write-Version", "0.1.0");
        request.Headers.TryAddWithoutValidation("User-Agent", azure.Value.UserAgent);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(azure.Value.AttemptTimeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var message = AzureErrorMessage.From(status, body.Length > 4096 ? body[..4096] : body);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                return limits.Value.MaxPartBytes > RequestSplitter.AzureMaxBytes
                    ? new CheckVerdict(destination, endpoint, CheckProblem.BodyLimit, $"the endpoint answered {status}, but RemoteWrite__MaxPartBytes is {limits.Value.MaxPartBytes}, over Azure's {RequestSplitter.AzureMaxBytes} bytes per request: larger requests are refused with 413")
                    : new CheckVerdict(destination, endpoint, CheckProblem.None, $"{status} in {ms:0} ms; token for {AudienceOf(token)} accepted");
            }

            return status switch
            {
                401 => new CheckVerdict(destination, endpoint, CheckProblem.Token, message + " (the token was refused: check the audience INGESTION_AAD_AUDIENCE / CLOUD and the tenant)"),
                403 => new CheckVerdict(destination, endpoint, CheckProblem.Role, message + " (the identity needs the role Monitoring Metrics Publisher on the data collection rule; a new role assignment takes up to 30 minutes to take effect)"),
                413 => new CheckVerdict(destination, endpoint, CheckProblem.BodyLimit, message),
                404 or 405 => new CheckVerdict(destination, endpoint, CheckProblem.Url, message + " (no ingestion endpoint at this URL: check the DCE host, the DCR immutable id and the path)"),
                400 when message.Contains("api-version", StringComparison.OrdinalIgnoreCase) => new CheckVerdict(destination, endpoint, CheckProblem.Url, message),
                _ => new CheckVerdict(destination, endpoint, CheckProblem.Service, message),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CheckVerdict(destination, endpoint, CheckProblem.Network, $"no answer within {azure.Value.AttemptTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            var (problem, why) = Classify(e);
            return new CheckVerdict(destination, endpoint, problem == CheckProblem.Service ? CheckProblem.Network : problem, why);
        }
    }

    /// <summary>The kind of a failure from its exception chain (network and TLS first, wherever they are), and a one-line reason.</summary>
    public static (CheckProblem Problem, string Reason) Classify(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case CheckFailedException known:
                    return (known.Problem, known.Message);
                case AuthenticationException:
                    return (CheckProblem.Tls, FirstLine(e.Message) + " (is the CA trusted? SSL_CERT_FILE or the system store)");
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } s:
                    return (CheckProblem.Network, "DNS: " + s.Message);
                case SocketException s:
                    return (CheckProblem.Network, $"network: {s.Message} ({s.SocketErrorCode})");
            }
        }

        return error is AuthenticationFailedException or CredentialUnavailableException
            ? (CheckProblem.Identity, FirstLine(error.Message))
            : (CheckProblem.Service, FirstLine(error.Message));
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 400 ? line : line[..400] + "…";
    }

    // The token's audience claim, for the OK line (a claim, not the token).
    private static string AudienceOf(global::Azure.Core.AccessToken token)
    {
        var parts = token.Token.Split('.');
        if (parts.Length == 3)
        {
            try
            {
                var payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
                using var json = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(payload));
                if (json.RootElement.TryGetProperty("aud", out var aud) && aud.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    return aud.GetString()!;
                }
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
            {
                // not a JWT: say nothing about it
            }
        }

        return "the configured audience";
    }
}
