using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace RemoteWrite.LocalAzure.Identity;

/// <summary>
/// Access tokens issued, per client id and per credential (<c>imds</c>, <c>secret</c>, …, or
/// <c>x5t#S256:&lt;thumbprint&gt;</c> for a certificate assertion), served at <c>/admin/stats</c> under
/// <c>tokens</c>: lets a test see which certificate a client signed with, e.g. after a rotation.
/// </summary>
internal sealed class TokenIssuanceStats
{
    [JsonPropertyName("byClient")]
    public ConcurrentDictionary<string, long> ByClient { get; } = new(StringComparer.OrdinalIgnoreCase);

    [JsonPropertyName("byCredential")]
    public ConcurrentDictionary<string, long> ByCredential { get; } = new(StringComparer.Ordinal);

    public void Issued(string clientId, string credential)
    {
        ByClient.AddOrUpdate(clientId, 1, (_, n) => n + 1);
        ByCredential.AddOrUpdate(credential, 1, (_, n) => n + 1);
    }

    public void Reset()
    {
        ByClient.Clear();
        ByCredential.Clear();
    }
}
