using Azure.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RemoteWrite.Core.Identity;

/// <summary>
/// Holds the Entra ID token and refreshes it in the background, so the request path never waits
/// for Entra ID: refreshes at a share of the lifetime (and before the last 5 minutes), retries a
/// failed refresh with exponential backoff forever (the auth proxy exits instead, CONTRACT.md §3a),
/// builds a new credential when the certificate or secret file changes (Azure.Identity never
/// re-reads it, §2a), and fetches a new token when Azure refuses the current one.
/// </summary>
public sealed partial class AccessTokenKeeper : BackgroundService, IAccessTokenSource, ITokenStatus
{
    private readonly ITokenCredentialFactory _factory;
    private readonly IdentityOptions _options;
    private readonly TimeProvider _time;
    private readonly TokenMetrics _metrics;
    private readonly ILogger<AccessTokenKeeper> _logger;
    private readonly TokenRequestContext _request;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _gate = new();

    // Replaced whole (a record), never mutated: read without the lock, written under it.
    private volatile Held? _held;
    private bool _refreshPending;
    private TaskCompletionSource _attemptDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TokenCredential? _credential;
    private string? _credentialFileStamp;
    private volatile string? _lastError;

    public AccessTokenKeeper(ITokenCredentialFactory factory, IOptions<IdentityOptions> options, TimeProvider time, TokenMetrics metrics, ILogger<AccessTokenKeeper> logger)
    {
        _factory = factory;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _request = new TokenRequestContext([_options.Scope]);
        metrics.Track(this, time);
    }

    public bool HasToken => Usable(_held) is not null;

    public DateTimeOffset? ExpiresOn => _held?.Token.ExpiresOn;

    public string? LastError => _lastError;

    /// <summary>How many credentials were built (at start, after failures, refusals and file changes).</summary>
    public int CredentialsBuilt { get; private set; }

    public async ValueTask<AccessToken?> GetTokenAsync(CancellationToken cancellationToken)
    {
        // Every part asks: the common case (a usable token nobody refused) takes no lock.
        if (_held is { Refused: false } current && Usable(current) is { } usable)
        {
            return usable;
        }

        Task waitFor;
        lock (_gate)
        {
            if (_held is { Refused: false } && Usable(_held) is { } token)
            {
                return token;
            }

            // Refused and a new fetch is under way: wait for it rather than send a token Azure refused.
            if (!(_held is { Refused: true } && _refreshPending))
            {
                return null;
            }

            waitFor = _attemptDone.Task;
        }

        await waitFor.WaitAsync(cancellationToken);
        var held = _held;
        return held is { Refused: false } ? Usable(held) : null;
    }

    public void Invalidate(AccessToken rejected)
    {
        lock (_gate)
        {
            if (_held is not { } held || held.Refused || held.Token.Token != rejected.Token)
            {
                return;
            }

            // A missing role refuses every token (403): fetching one per request would flood Entra ID.
            if (_time.GetUtcNow() - held.Obtained < _options.MinTokenAgeToInvalidate)
            {
                LogRefusedTooYoung(_logger);
                return;
            }

            _held = held with { Refused = true };
            _refreshPending = true;
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }

        LogRefused(_logger);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                // After a refusal a managed identity must skip MSAL's shared cache (FreshTokenRequest).
                var request = _held is { Refused: true } && FreshTokenRequest.IsNeeded(_options.EffectiveType)
                    ? FreshTokenRequest.For(_options.Scope, _time.GetUtcNow())
                    : _request;
                var credential = EnsureCredential();
                var token = await credential.GetTokenAsync(request, stoppingToken);
                var now = _time.GetUtcNow();
                lock (_gate)
                {
                    _held = new Held(token, now, false);
                }

                _lastError = null;
                failures = 0;
                _metrics.Refreshed();
                wait = NextRefresh(token, now);
                LogAcquired(_logger, token.ExpiresOn, wait);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                _metrics.Failed();
                _lastError = e.Message;
                _credential = null; // the next attempt starts from a fresh credential and re-reads files
                wait = Backoff(failures);
                LogFailed(_logger, failures, wait, e.GetType().Name, e.Message);
            }
            finally
            {
                lock (_gate)
                {
                    _refreshPending = false;
                    var done = _attemptDone;
                    _attemptDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    done.SetResult();
                }
            }

            try
            {
                await WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>When to fetch again: at the configured share of the lifetime, before the last minutes, or at <c>RefreshOn</c>.</summary>
    public TimeSpan NextRefresh(AccessToken token, DateTimeOffset now)
    {
        var lifetime = token.ExpiresOn - now;
        if (lifetime <= TimeSpan.Zero)
        {
            return _options.MinRetryDelay;
        }

        var delay = lifetime * (_options.RefreshAtPercentOfLifetime / 100.0);
        var beforeExpiry = lifetime - _options.RefreshBeforeExpiry;
        if (beforeExpiry > TimeSpan.Zero && beforeExpiry < delay)
        {
            delay = beforeExpiry;
        }

        if (token.RefreshOn is { } refreshOn && refreshOn > now && refreshOn - now < delay)
        {
            delay = refreshOn - now;
        }

        return delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : delay;
    }

    /// <summary>Exponential backoff from <see cref="IdentityOptions.MinRetryDelay"/>, capped, with up to 20% jitter so replicas spread out.</summary>
    public TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 30);
        var delay = _options.MinRetryDelay * Math.Pow(2, exponent);
        if (delay > _options.MaxRetryDelay)
        {
            delay = _options.MaxRetryDelay;
        }

        return delay * (1 + (Random.Shared.NextDouble() * 0.2));
    }

    private TokenCredential EnsureCredential()
    {
        if (_held is { Refused: true })
        {
            _credential = null; // a credential serves its cached token; a refused token needs a new one
        }

        if (_credential is null)
        {
            _credentialFileStamp = CredentialFileStamp.Of(_options.WatchedCredentialFile);
            _credential = _factory.Create(_options);
            CredentialsBuilt++;
            _metrics.CredentialBuilt();
        }

        return _credential;
    }

    // Waits for the next refresh, returning early when a token was refused or the credential file changed.
    private async Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        var until = _time.GetUtcNow() + wait;
        var watched = _options.WatchedCredentialFile;
        while (true)
        {
            var remaining = until - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            var step = watched is not null && _options.CredentialFileCheckInterval < remaining ? _options.CredentialFileCheckInterval : remaining;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var woken = _wake.WaitAsync(cts.Token);
            await Task.WhenAny(woken, Task.Delay(step, _time, cts.Token));
            await cts.CancelAsync();
            stoppingToken.ThrowIfCancellationRequested();
            try
            {
                await woken;
                return;
            }
            catch (OperationCanceledException)
            {
                // not woken: the step elapsed
            }

            if (watched is not null && _credential is not null && CredentialFileStamp.Of(watched) is { } stamp && stamp != _credentialFileStamp)
            {
                LogFileChanged(_logger, watched);
                _credential = null;
                return;
            }
        }
    }

    private AccessToken? Usable(Held? held) =>
        held is { } h && h.Token.ExpiresOn > _time.GetUtcNow() ? h.Token : null;

    private sealed record Held(AccessToken Token, DateTimeOffset Obtained, bool Refused);

    [LoggerMessage(Level = LogLevel.Information, Message = "Entra ID token acquired, expires at {ExpiresOn:O}; next refresh in {Wait}")]
    private static partial void LogAcquired(ILogger logger, DateTimeOffset expiresOn, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entra ID token refresh failed (attempt {Failures}), retrying in {Wait}: {ErrorType}: {Error}")]
    private static partial void LogFailed(ILogger logger, int failures, TimeSpan wait, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azure refused the token; fetching a new one")]
    private static partial void LogRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Azure refused a token fetched moments ago; keeping it (check the role assignment)")]
    private static partial void LogRefusedTooYoung(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Credential file {Path} changed; building a new credential")]
    private static partial void LogFileChanged(ILogger logger, string path);
}
