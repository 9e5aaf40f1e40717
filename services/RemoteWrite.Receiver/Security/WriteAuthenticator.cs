using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace RemoteWrite.Receiver.Security;

/// <summary>Why a write was refused, or that it may go on.</summary>
public enum WriteAuthOutcome
{
    Allowed,

    /// <summary>No <c>Authorization</c> header.</summary>
    Missing,

    /// <summary>A scheme that is not configured (or malformed).</summary>
    Scheme,

    /// <summary>Wrong token, user or password.</summary>
    Invalid,

    /// <summary>TLS_CLIENT_CA_FILE is set and the connection presented no client certificate.</summary>
    ClientCertificate,

    /// <summary>The credentials have not been loaded yet (the Dapr secret store was not reachable): try again.</summary>
    NotLoaded,

    /// <summary>Every bcrypt slot is busy (a burst of new or wrong passwords): try again; cached credentials still pass.</summary>
    Busy,
}

/// <summary>
/// Checks each write against the current credentials and re-reads them every
/// <see cref="ListenerSecurityOptions.FileCheckInterval"/> (on <see cref="TimeProvider"/>). A change is
/// noticed by content hash (a Kubernetes secret mount swaps a symlink); a set that cannot be read or
/// parsed is logged once and the old one stays. Successful bcrypt verifications are cached, keyed by an
/// HMAC of "user:password" under a per-process key, bounded, and dropped with the set on every reload:
/// bcrypt costs tens of milliseconds by design and Prometheus sends many requests a second.
/// </summary>
public sealed class WriteAuthenticator : IHostedService, IDisposable
{
    /// <summary>Longest credential read from a header; longer ones are refused without work.</summary>
    public const int MaxCredentialChars = 4096;

    internal const int MaxCachedVerifications = 1024;

    private readonly IWriteCredentialSource _source;
    private readonly TimeProvider _time;
    private readonly ILogger<WriteAuthenticator> _logger;
    private readonly TimeSpan _interval;
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    // bcrypt burns tens of milliseconds of CPU by design: wrong passwords sent in a loop must not take every
    // core from the data path. Half the cores at most verify at once; the rest answer 503 (Prometheus retries).
    private readonly SemaphoreSlim _bcryptSlots = new(Math.Max(1, Environment.ProcessorCount / 2));
    private readonly Lazy<string> _decoyHash = new(() => BCrypt.Net.BCrypt.HashPassword(Guid.NewGuid().ToString(), 10));
    private State? _state;
    private byte[]? _stamp;
    private string? _lastProblem;
    private ITimer? _timer;
    private int _reloading;

    public WriteAuthenticator(IWriteCredentialSource source, IOptions<ListenerSecurityOptions> options, TimeProvider time, ILogger<WriteAuthenticator> logger)
    {
        _source = source;
        _time = time;
        _logger = logger;
        _interval = options.Value.FileCheckInterval;
        RequiresClientCertificate = options.Value.RequiresClientCertificate;
    }

    /// <summary>False when no credential source and no client CA is configured: the filter is not even installed.</summary>
    public bool IsEnabled => _source.IsConfigured || RequiresClientCertificate;

    public bool RequiresClientCertificate { get; }

    /// <summary>True once credentials are loaded (always, when none are configured).</summary>
    public bool IsLoaded => !_source.IsConfigured || Volatile.Read(ref _state) is not null;

    /// <summary>The <c>WWW-Authenticate</c> values for a 401.</summary>
    public StringValues Challenges => Volatile.Read(ref _state)?.Credentials.Challenges ?? default;

    /// <summary>The currently loaded set (tests and diagnostics).</summary>
    public WriteCredentials? Credentials => Volatile.Read(ref _state)?.Credentials;

    public WriteAuthOutcome Check(HttpContext context)
    {
        if (RequiresClientCertificate && context.Connection.ClientCertificate is null)
        {
            // Kestrel verified a presented certificate during the handshake (ListenerCertificate); only its absence is left.
            return WriteAuthOutcome.ClientCertificate;
        }

        if (!_source.IsConfigured)
        {
            return WriteAuthOutcome.Allowed;
        }

        if (Volatile.Read(ref _state) is not { } state)
        {
            return WriteAuthOutcome.NotLoaded;
        }

        var headers = context.Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return WriteAuthOutcome.Missing;
        }

        if (headers.Count > 1)
        {
            return WriteAuthOutcome.Scheme;
        }

        return Check(state, headers[0].AsSpan().Trim());
    }

    /// <summary>Checks one <c>Authorization</c> value against the current set.</summary>
    public WriteAuthOutcome Check(ReadOnlySpan<char> authorization) =>
        Volatile.Read(ref _state) is { } state ? Check(state, authorization.Trim()) : WriteAuthOutcome.NotLoaded;

    private WriteAuthOutcome Check(State state, ReadOnlySpan<char> value)
    {
        var space = value.IndexOf(' ');
        if (space < 1)
        {
            return WriteAuthOutcome.Scheme;
        }

        var scheme = value[..space];
        var credential = value[(space + 1)..].Trim();
        if (credential.IsEmpty || credential.Length > MaxCredentialChars)
        {
            return WriteAuthOutcome.Invalid;
        }

        if (state.Credentials.AcceptsBearer && scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return state.Credentials.MatchesToken(credential) ? WriteAuthOutcome.Allowed : WriteAuthOutcome.Invalid;
        }

        if (state.Credentials.AcceptsBasic && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return CheckBasic(state, credential);
        }

        return WriteAuthOutcome.Scheme;
    }

    private WriteAuthOutcome CheckBasic(State state, ReadOnlySpan<char> encoded)
    {
        Span<byte> decoded = stackalloc byte[(MaxCredentialChars / 4 * 3) + 3];
        if (!Convert.TryFromBase64Chars(encoded, decoded, out var length))
        {
            return WriteAuthOutcome.Invalid;
        }

        decoded = decoded[..length];
        var colon = decoded.IndexOf((byte)':');
        if (colon < 1)
        {
            return WriteAuthOutcome.Invalid;
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_cacheKey, decoded, mac);
        var key = MemoryMarshal.Read<CacheKey>(mac);
        if (state.Verified.ContainsKey(key))
        {
            return WriteAuthOutcome.Allowed;
        }

        if (!_bcryptSlots.Wait(0))
        {
            return WriteAuthOutcome.Busy;
        }

        bool valid;
        try
        {
            // Cache miss: the only allocations, and bcrypt's deliberate cost.
            var user = Encoding.UTF8.GetString(decoded[..colon]);
            var password = Encoding.UTF8.GetString(decoded[(colon + 1)..]);
            if (!state.Credentials.Users.TryGetValue(user, out var hash))
            {
                // As long as a known user's check, so the time does not tell which users exist.
                _ = BCrypt.Net.BCrypt.Verify(password, _decoyHash.Value);
                return WriteAuthOutcome.Invalid;
            }

            valid = BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            valid = false;
        }
        finally
        {
            _bcryptSlots.Release();
        }

        if (!valid)
        {
            return WriteAuthOutcome.Invalid;
        }

        if (state.Verified.Count >= MaxCachedVerifications)
        {
            state.Verified.Clear();
        }

        state.Verified.TryAdd(key, 0);
        return WriteAuthOutcome.Allowed;
    }

    /// <summary>
    /// Reads the source; loads it when its content changed. False when it could not be read or parsed
    /// (the old set stays, and the problem is logged once until it changes).
    /// </summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        if (!_source.IsConfigured || Interlocked.Exchange(ref _reloading, 1) == 1)
        {
            return true;
        }

        try
        {
            WriteCredentialTexts texts;
            try
            {
                texts = await _source.ReadAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The message names the file or the store, never content.
                return Problem($"{_source.Description} cannot be read ({e.GetType().Name}: {e.Message})");
            }

            var stamp = Stamp(texts);
            if (_stamp is not null && stamp.AsSpan().SequenceEqual(_stamp))
            {
                return true;
            }

            var problems = new List<string>();
            if (WriteCredentials.Parse(texts, problems) is not { } credentials)
            {
                return Problem(string.Join(" ", problems));
            }

            var first = _state is null;
            Volatile.Write(ref _state, new State(credentials));
            _stamp = stamp;
            _lastProblem = null;
            _logger.LogInformation("Write credentials {Action} from {Source}: {Tokens} bearer token(s), {Users} basic-auth user(s)",
                first ? "loaded" : "reloaded", _source.Description, credentials.TokenCount, credentials.UserCount);
            return true;
        }
        finally
        {
            Volatile.Write(ref _reloading, 0);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_source.IsConfigured)
        {
            return;
        }

        await ReloadAsync(cancellationToken);
        _timer = _time.CreateTimer(_ => _ = ReloadAsync(CancellationToken.None), null, _interval, _interval);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>For tests: the bcrypt concurrency limit.</summary>
    internal SemaphoreSlim BcryptSlots => _bcryptSlots;

    public void Dispose()
    {
        _timer?.Dispose();
        _bcryptSlots.Dispose();
    }

    private bool Problem(string problem)
    {
        if (problem != _lastProblem)
        {
            _lastProblem = problem;
            _logger.LogWarning("Write credentials not {Action}: {Problem}", _state is null ? "loaded, writes are answered 503" : "reloaded, the previous ones stay in force", problem);
        }

        return false;
    }

    private static byte[] Stamp(WriteCredentialTexts texts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, texts.BearerTokens);
        Append(hash, texts.BasicAuth);
        return hash.GetHashAndReset();
    }

    private static void Append(IncrementalHash hash, string? text)
    {
        hash.AppendData(text is null ? [0] : [1]);
        if (text is not null)
        {
            hash.AppendData(MemoryMarshal.AsBytes(text.AsSpan()));
            hash.AppendData([0]);
        }
    }

    /// <summary>One set with its own cache: a reload replaces both at once, so no old verification survives it.</summary>
    private sealed class State(WriteCredentials credentials)
    {
        public WriteCredentials Credentials { get; } = credentials;

        public ConcurrentDictionary<CacheKey, byte> Verified { get; } = new();
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct CacheKey(ulong A, ulong B, ulong C, ulong D);
}
