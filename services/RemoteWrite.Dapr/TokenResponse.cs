namespace RemoteWrite.Dapr;

/// <summary>What the token service answers on <see cref="DaprNames.TokenMethod"/>: a bearer token for the configured audience.</summary>
public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresOn);

/// <summary>What the forwarder sends on <see cref="DaprNames.TokenRefreshMethod"/>: which token Azure refused, as a hash (the token itself never travels back).</summary>
public sealed record TokenRefreshRequest(string RefusedTokenSha256)
{
    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 text.</summary>
    public static string Hash(string token) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
