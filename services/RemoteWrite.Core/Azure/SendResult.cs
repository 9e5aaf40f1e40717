namespace RemoteWrite.Core.Azure;

/// <summary>The outcome of one POST to the ingestion URL; <see cref="Message"/> never holds a token.</summary>
public readonly record struct SendResult(SendOutcome Outcome, int StatusCode, TimeSpan? RetryAfter = null, string? Message = null, TimeSpan Duration = default);
