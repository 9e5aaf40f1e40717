using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core;
using Dapr;
using Dapr.Client;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Identity;
using RemoteWrite.Dapr;

namespace RemoteWrite.Forwarder;

/// <summary>
/// The forwarder's bearer token, from the token service through Dapr service invocation
/// (the SDK's invokable <c>HttpClient</c> → sidecar <c>/v1.0/invoke/{app}/method/token</c>; retries with backoff
/// are the resiliency policy's, components/resiliency.yaml). Cached until shortly before it
/// expires; one fetch at a time. A token Azure refused is replaced at its source: the next fetch
/// posts its hash to the token service's refresh method, which gets a new one from Entra ID.
/// Unavailable → null, and the caller answers RETRY. Never logs the token.
/// </summary>
public sealed partial class DaprTokenClient(DaprClient dapr, IOptions<ForwarderOptions> options, TimeProvider time, ILogger<DaprTokenClient> logger) : IAccessTokenSource, ITokenStatus
{
    private readonly ForwarderOptions _options = options.Value;

    // The SDK's guidance since 1.17: a long-lived HttpClient bound to the target app id, sent through
    // the sidecar with the Dapr API token (DaprClient.CreateInvokableHttpClient; InvokeMethodAsync is obsolete).
    private readonly HttpClient _tokenService = dapr.CreateInvokableHttpClient(options.Value.TokenAppId);
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private volatile Holder? _held;
    private volatile string? _refusedHash;
    private volatile string? _lastError;

    public bool HasToken => Fresh(_held) is not null;

    public DateTimeOffset? ExpiresOn => _held?.Token.ExpiresOn;

    public string? LastError => _lastError;

    public async ValueTask<AccessToken?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_held) is { } cached)
        {
            return cached;
        }

        await _fetch.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_held) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.TokenTimeout);
            var refused = _refusedHash;
            using var response = refused is null
                ? await _tokenService.GetAsync(_options.TokenMethod, timeout.Token)
                : await _tokenService.PostAsJsonAsync(DaprNames.TokenRefreshMethod, new TokenRefreshRequest(refused), JsonSerializerOptions.Web, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Failed($"the token service answered {(int)response.StatusCode}");
            }

            var answer = await response.Content.ReadFromJsonAsync<TokenResponse>(JsonSerializerOptions.Web, timeout.Token);
            if (string.IsNullOrEmpty(answer?.AccessToken) || answer.ExpiresOn <= time.GetUtcNow())
            {
                return Failed("the token service answered without a valid token");
            }

            var token = new AccessToken(answer.AccessToken, answer.ExpiresOn);
            _held = new Holder(token);
            _refusedHash = null;
            _lastError = null;
            LogFetched(logger, token.ExpiresOn);
            return token;
        }
        catch (Exception e) when (e is DaprException or HttpRequestException or JsonException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Failed($"the token service is unavailable ({e.GetType().Name})");
        }
        finally
        {
            _fetch.Release();
        }
    }

    /// <summary>Azure refused the token: forget it, and have the token service replace it at its source on the next fetch.</summary>
    public void Invalidate(AccessToken rejected)
    {
        var held = _held;
        if (held is not null && held.Token.Token == rejected.Token)
        {
            _refusedHash = TokenRefreshRequest.Hash(rejected.Token);
            _held = null;
        }
    }

    private AccessToken? Fresh(Holder? held) =>
        held is not null && held.Token.ExpiresOn - _options.TokenRefreshBeforeExpiry > time.GetUtcNow() ? held.Token : null;

    private AccessToken? Failed(string reason)
    {
        // Once per new reason: while the token service is down every delivery would log it.
        if (_lastError != reason)
        {
            LogFailed(logger, reason);
        }

        _lastError = reason;
        return Fresh(_held) ?? (_held is { } old && old.Token.ExpiresOn > time.GetUtcNow() ? old.Token : null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Got a token from the token service, valid until {ExpiresOn:O}")]
    private static partial void LogFetched(ILogger logger, DateTimeOffset expiresOn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No token: {Reason}; deliveries are answered RETRY")]
    private static partial void LogFailed(ILogger logger, string reason);

    private sealed record Holder(AccessToken Token);
}
