using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;

namespace RemoteWrite.Receiver.Security;

/// <summary>The texts of the two credential sources; null when that kind is not configured.</summary>
/// <param name="BearerName">How to name the bearer source in a problem (a variable or a secret key), never its content.</param>
public readonly record struct WriteCredentialTexts(string? BearerTokens, string? BasicAuth, string BearerName, string BasicName);

/// <summary>
/// One loaded set of write credentials: SHA-256 of each bearer token (compared in constant time,
/// and equal length whatever the token's, so its length does not leak) and each user's bcrypt hash.
/// Immutable: a reload builds a new one.
/// </summary>
public sealed class WriteCredentials
{
    public const string Realm = "remote-write";

    private static readonly string BearerChallenge = $"Bearer realm=\"{Realm}\"";
    private static readonly string BasicChallenge = $"Basic realm=\"{Realm}\"";

    private WriteCredentials(byte[][] tokenHashes, Dictionary<string, string> users, bool bearer, bool basic)
    {
        TokenHashes = tokenHashes;
        Users = users;
        AcceptsBearer = bearer;
        AcceptsBasic = basic;
        Challenges = (bearer, basic) switch
        {
            (true, true) => new StringValues([BearerChallenge, BasicChallenge]),
            (true, false) => new StringValues(BearerChallenge),
            _ => new StringValues(BasicChallenge),
        };
    }

    public bool AcceptsBearer { get; }

    public bool AcceptsBasic { get; }

    /// <summary>The <c>WWW-Authenticate</c> values of a 401: one per configured kind.</summary>
    public StringValues Challenges { get; }

    public int TokenCount => TokenHashes.Length;

    public int UserCount => Users.Count;

    internal byte[][] TokenHashes { get; }

    /// <summary>User name → bcrypt hash.</summary>
    internal Dictionary<string, string> Users { get; }

    /// <summary>
    /// Parses both texts; returns null and adds one line per problem (line numbers, never content)
    /// when either cannot be used. Blank lines and lines starting with <c>#</c> are ignored.
    /// </summary>
    public static WriteCredentials? Parse(WriteCredentialTexts texts, List<string> problems)
    {
        var before = problems.Count;
        var hashes = new List<byte[]>();
        if (texts.BearerTokens is { } bearer)
        {
            var number = 0;
            foreach (var raw in bearer.AsSpan().EnumerateLines())
            {
                number++;
                var line = raw.Trim();
                if (line.IsEmpty || line[0] == '#')
                {
                    continue;
                }

                if (line.ContainsAny(' ', '\t'))
                {
                    problems.Add($"{texts.BearerName} line {number}: a token must not contain spaces.");
                    continue;
                }

                hashes.Add(HashToken(line));
            }

            if (hashes.Count == 0 && problems.Count == before)
            {
                problems.Add($"{texts.BearerName} holds no token.");
            }
        }

        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        if (texts.BasicAuth is { } basic)
        {
            var number = 0;
            var basicBefore = problems.Count;
            foreach (var raw in basic.AsSpan().EnumerateLines())
            {
                number++;
                var line = raw.Trim();
                if (line.IsEmpty || line[0] == '#')
                {
                    continue;
                }

                var colon = line.IndexOf(':');
                if (colon < 1 || !IsBcrypt(line[(colon + 1)..]))
                {
                    problems.Add($"{texts.BasicName} line {number}: not 'user:bcrypt-hash' (htpasswd -B; only bcrypt hashes are accepted).");
                    continue;
                }

                if (!users.TryAdd(line[..colon].ToString(), line[(colon + 1)..].ToString()))
                {
                    problems.Add($"{texts.BasicName} line {number}: the user is listed twice.");
                }
            }

            if (users.Count == 0 && problems.Count == basicBefore)
            {
                problems.Add($"{texts.BasicName} holds no user.");
            }
        }

        if (texts.BearerTokens is null && texts.BasicAuth is null)
        {
            problems.Add("no write credentials are configured.");
        }

        return problems.Count == before ? new WriteCredentials([.. hashes], users, texts.BearerTokens is not null, texts.BasicAuth is not null) : null;
    }

    /// <summary>SHA-256 over the token's UTF-16 code units: the request path hashes the header's chars the same way, without encoding.</summary>
    internal static byte[] HashToken(ReadOnlySpan<char> token) => SHA256.HashData(MemoryMarshal.AsBytes(token));

    /// <summary>True when <paramref name="token"/> is one of the tokens, comparing every one in constant time.</summary>
    internal bool MatchesToken(ReadOnlySpan<char> token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(token), hash);
        var match = false;
        foreach (var known in TokenHashes)
        {
            // No early exit: the time does not tell which token matched, or whether one did.
            match |= CryptographicOperations.FixedTimeEquals(hash, known);
        }

        return match;
    }

    // $2a$, $2b$, $2x$, $2y$ + two-digit cost + 53 characters: 60 in all.
    private static bool IsBcrypt(ReadOnlySpan<char> hash) =>
        hash.Length == 60 && hash[0] == '$' && hash[1] == '2' && (hash[2] is 'a' or 'b' or 'x' or 'y') && hash[3] == '$'
        && char.IsAsciiDigit(hash[4]) && char.IsAsciiDigit(hash[5]) && hash[6] == '$';
}
