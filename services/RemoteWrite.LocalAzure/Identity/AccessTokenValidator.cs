using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Identity;

/// <summary>Outcome of checking a bearer token at the ingestion endpoint.</summary>
internal enum TokenCheck
{
    Valid,
    Missing,
    Malformed,
    BadSignature,
    Expired,
    InvalidAudience,
}

/// <summary>The caller behind a valid access token.</summary>
internal readonly record struct TokenPrincipal(TokenCheck Check, string? ClientId, string? Audience);

/// <summary>
/// Checks access tokens as Azure Monitor ingestion does: signed by the issuer, in lifetime, and
/// <c>aud</c> one of the monitor resources (a wrong audience is 401 <c>InvalidAudience</c>, CONTRACT §2a).
/// </summary>
internal sealed class AccessTokenValidator(SigningKeys keys, TimeProvider time, IOptionsMonitor<LocalAzureOptions> options)
{
    // Five minutes of clock skew, as Entra-protected services allow.
    private const int SkewSeconds = 300;

    // Signature checks cost an RSA verification; a token is checked once and remembered (its lifetime
    // and audience are still checked on every request). Bounded: cleared when full.
    private const int MaxRemembered = 1024;
    private readonly ConcurrentDictionary<string, JwtParts> _verified = new(StringComparer.Ordinal);

    public TokenPrincipal Validate(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return new(TokenCheck.Missing, null, null);
        }

        var token = authorization["Bearer ".Length..].Trim();
        if (!_verified.TryGetValue(token, out var jwt))
        {
            if (!Jwt.TryDecode(token, out jwt))
            {
                return new(TokenCheck.Malformed, null, null);
            }

            if (!Jwt.Verify(jwt, keys.TokenKey))
            {
                return new(TokenCheck.BadSignature, null, null);
            }

            if (_verified.Count >= MaxRemembered)
            {
                _verified.Clear();
            }

            _verified[token] = jwt;
        }

        var clientId = jwt.Claim("appid");
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var exp = jwt.TimeClaim("exp");
        if (exp is null || exp.Value + SkewSeconds < now || jwt.TimeClaim("nbf") is { } nbf && nbf - SkewSeconds > now)
        {
            return new(TokenCheck.Expired, clientId, null);
        }

        var audience = jwt.Audiences().FirstOrDefault();
        if (audience is null || !IsIngestionAudience(audience))
        {
            return new(TokenCheck.InvalidAudience, clientId, audience);
        }

        return clientId is null ? new(TokenCheck.Malformed, null, audience) : new(TokenCheck.Valid, clientId, audience);
    }

    private bool IsIngestionAudience(string audience)
    {
        var trimmed = audience.TrimEnd('/');
        return ResourceCatalog.Known(options.CurrentValue).Any(r => string.Equals(r.TrimEnd('/'), trimmed, StringComparison.OrdinalIgnoreCase));
    }
}
