using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RemoteWrite.LocalAzure.Options;

namespace RemoteWrite.LocalAzure.Identity;

/// <summary>
/// Plays a Kubernetes cluster's service-account token issuer: mints the projected token that the
/// workload identity webhook mounts at <c>AZURE_FEDERATED_TOKEN_FILE</c> (CONTRACT §2a, §3).
/// </summary>
internal sealed class FederatedTokenMinter(SigningKeys keys, TimeProvider time, IOptions<LocalAzureOptions> options)
{
    public string Mint(string subject, string? issuer, string? audience, int lifetimeSeconds)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = keys.ClusterKeyId };
        var payload = new JsonObject
        {
            ["aud"] = new JsonArray(audience ?? FederatedCredential.DefaultAudience),
            ["iss"] = issuer ?? options.Value.ClusterIssuer,
            ["sub"] = subject,
            ["iat"] = Math.Min(now, now + lifetimeSeconds) - 1,
            ["nbf"] = Math.Min(now, now + lifetimeSeconds) - 1,
            ["exp"] = now + lifetimeSeconds,
        };
        return Jwt.Sign(header, payload, keys.ClusterKey);
    }
}
