namespace RemoteWrite.LocalAzure.Identity;

/// <summary>The form fields of a client-credentials token request (CONTRACT §2a).</summary>
internal sealed record ClientCredentialRequest(
    string Tenant,
    string? ClientId,
    string? ClientSecret,
    string? AssertionType,
    string? Assertion,
    string TokenUrl);

/// <summary>
/// Authenticates a client-credentials request as Entra does for the three Azure.Identity credentials
/// that use the token endpoint: client secret, certificate assertion, federated (workload identity) assertion.
/// Returns null when the client is authenticated, else the Entra error to answer with.
/// </summary>
internal sealed class ClientCredentialVerifier(AppRegistry registry, SigningKeys keys, TimeProvider time)
{
    public const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    // Entra allows five minutes of clock skew on assertion lifetimes.
    private const int SkewSeconds = 300;

    public EntraError? Authenticate(ClientCredentialRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.ClientId))
        {
            return EntraError.MissingClientId();
        }

        var app = registry.Find(request.ClientId);
        if (app is null)
        {
            return EntraError.UnknownApp(request.ClientId, request.Tenant);
        }

        if (request.ClientSecret is not null)
        {
            return app.SecretMatches(request.ClientSecret) ? null : EntraError.InvalidSecret(app.ClientId);
        }

        if (request.Assertion is null)
        {
            return EntraError.NoCredential();
        }

        if (!string.Equals(request.AssertionType, JwtBearer, StringComparison.Ordinal))
        {
            return EntraError.BadAssertionType(request.AssertionType);
        }

        if (!Jwt.TryDecode(request.Assertion, out var jwt))
        {
            return EntraError.MalformedAssertion("The assertion is not a compact JWS.");
        }

        // A federated token's issuer is not the client; a certificate assertion has iss = sub = client id.
        return string.Equals(jwt.Claim("iss"), app.ClientId, StringComparison.OrdinalIgnoreCase)
            ? VerifyCertificateAssertion(app, jwt, request.TokenUrl)
            : VerifyFederatedAssertion(app, jwt);
    }

    private EntraError? VerifyCertificateAssertion(RegisteredApp app, JwtParts jwt, string tokenUrl)
    {
        if (!string.Equals(jwt.Claim("sub"), app.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return EntraError.MalformedAssertion("The 'sub' claim must equal the client id.");
        }

        // CONTRACT §2a: Azure.Identity puts x5t#S256 in the header; older clients send x5t (SHA-1).
        var s256 = jwt.HeaderString("x5t#S256");
        var s1 = jwt.HeaderString("x5t");
        var cert = app.Certificates.FirstOrDefault(c => c.Sha256Thumbprint == s256 || c.Sha1Thumbprint == s1);
        if (cert is null)
        {
            return EntraError.BadSignature($"The key was not found., Thumbprint of key used by client: '{s256 ?? s1}'");
        }

        if (!Jwt.Verify(jwt, cert.PublicKey))
        {
            return EntraError.BadSignature("The signature does not match the registered certificate.");
        }

        // CONTRACT §2a: aud is the full token URL.
        if (!jwt.Audiences().Any(a => string.Equals(a.TrimEnd('/'), tokenUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
        {
            return EntraError.MalformedAssertion($"The audience claim must be the token endpoint '{tokenUrl}'.");
        }

        return CheckLifetime(jwt);
    }

    private EntraError? VerifyFederatedAssertion(RegisteredApp app, JwtParts jwt)
    {
        // Only tokens of the stand-in's own cluster issuer can be verified (Entra would fetch the issuer's JWKS).
        if (!Jwt.Verify(jwt, keys.ClusterKey))
        {
            return EntraError.BadSignature("The federated token is not signed by a known issuer key.");
        }

        var issuer = jwt.Claim("iss");
        var subject = jwt.Claim("sub");
        var audiences = jwt.Audiences().ToList();
        var byIssuerSubject = app.Federated.Where(f => f.Issuer == issuer && f.Subject == subject).ToList();
        if (byIssuerSubject.Count == 0)
        {
            return EntraError.AssertionSubject(issuer, subject, audiences.FirstOrDefault());
        }

        if (!byIssuerSubject.Any(f => audiences.Contains(f.Audience, StringComparer.Ordinal)))
        {
            return EntraError.AssertionAudience(audiences.FirstOrDefault());
        }

        return CheckLifetime(jwt);
    }

    // nbf/exp may be JSON strings or numbers (CONTRACT §2a); JwtParts.TimeClaim takes both.
    private EntraError? CheckLifetime(JwtParts jwt)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var exp = jwt.TimeClaim("exp");
        if (exp is null)
        {
            return EntraError.MalformedAssertion("The 'exp' claim is missing.");
        }

        if (exp.Value + SkewSeconds < now || jwt.TimeClaim("nbf") is { } nbf && nbf - SkewSeconds > now)
        {
            return EntraError.AssertionExpired();
        }

        return null;
    }
}
