namespace RemoteWrite.Dapr;

/// <summary>What the token service answers on <see cref="DaprNames.TokenMethod"/>: a bearer token for the configured audience.</summary>
public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresOn);
