using System.Text.Json.Serialization;

namespace RemoteWrite.LocalAzure.Faults;

/// <summary>
/// A fault to inject (<c>POST /admin/faults</c>): a status (with optional Retry-After), added latency,
/// and/or connection resets, for <see cref="Seconds"/> or for <see cref="Requests"/> requests.
/// </summary>
public sealed record FaultPlan
{
    [JsonPropertyName("status")]
    public int? Status { get; init; }

    [JsonPropertyName("retryAfterSeconds")]
    public int? RetryAfterSeconds { get; init; }

    [JsonPropertyName("latencyMs")]
    public int? LatencyMs { get; init; }

    [JsonPropertyName("reset")]
    public bool Reset { get; init; }

    [JsonPropertyName("seconds")]
    public double? Seconds { get; init; }

    [JsonPropertyName("requests")]
    public int? Requests { get; init; }

    /// <summary><c>ingestion</c> (default), <c>token</c> (Entra and managed identity endpoints) or <c>all</c>.</summary>
    [JsonPropertyName("target")]
    public string? Target { get; init; }
}
