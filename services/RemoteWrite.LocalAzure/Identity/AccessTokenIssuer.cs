using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Ingestion;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Identity;

/// <summary>An access token and when it ends.</summary>
internal sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresOn, int ExpiresIn, string Resource);

/// <summary>
/// Issues Entra-shaped app-only access tokens (v1 claims: <c>aud</c> = resource without
/// <c>/.default</c>, <c>appid</c>, <c>oid</c>, <c>tid</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>), RS256-signed by the stand-in.
/// </summary>
internal sealed class AccessTokenIssuer(SigningKeys keys, TimeProvider time, IOptionsMonitor<LocalAzureOptions> options, LocalAzureMetrics metrics, TokenIssuanceStats stats)
{
    public const string DefaultTenant = "00000000-0000-0000-0000-00000000a2e0";

    /// <param name="credential">What the client proved itself with, for <see cref="TokenIssuanceStats"/>; defaults to <paramref name="kind"/>.</param>
    public IssuedToken Issue(string clientId, string tenant, string resource, string kind, int? lifetimeSeconds = null, string? credential = null)
    {
        var lifetime = lifetimeSeconds ?? options.CurrentValue.TokenLifetimeSeconds;
        var now = time.GetUtcNow();
        var tid = Guid.TryParse(tenant, out _) ? tenant : DefaultTenant;
        var oid = ObjectIdOf(clientId).ToString();
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = keys.TokenKeyId };
        var payload = new JsonObject
        {
            ["aud"] = resource,
            ["iss"] = $"https://sts.windows.net/{tid}/",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds() - 300,
            ["exp"] = now.ToUnixTimeSeconds() + lifetime,
            ["appid"] = clientId,
            ["appidacr"] = "1",
            ["idtyp"] = "app",
            ["oid"] = oid,
            ["sub"] = oid,
            ["tid"] = tid,
            ["ver"] = "1.0",
        };
        metrics.TokenIssued(kind);
        stats.Issued(clientId, credential ?? kind);
        return new IssuedToken(Jwt.Sign(header, payload, keys.TokenKey), now.AddSeconds(lifetime), lifetime, resource);
    }

    /// <summary>A stable object id per client id, so stats and role assignments can use either.</summary>
    public static Guid ObjectIdOf(string clientId) => new(MD5.HashData(Encoding.UTF8.GetBytes("oid:" + clientId.ToLowerInvariant())));
}
