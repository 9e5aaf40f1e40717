using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Hosting.Admission;

/// <summary>
/// How much a receiving endpoint holds at once; section <c>Admission</c> (<c>Admission__MaxInFlightBytes</c>, …).
/// Beyond either budget a request is answered 503 with Retry-After before its body is read, so memory
/// is bounded by the budget, not by how many requests arrive.
/// </summary>
public sealed class AdmissionOptions : IValidatedOptions
{
    public const string SectionName = "Admission";

    /// <summary>
    /// Bytes held by requests in flight: bodies, decoded bodies and their parts. 64 MiB keeps a relay
    /// fed 64 vmagent-size bodies at once (2 MB compressed, 10 MB decoded) under 300 MB of RSS.
    /// </summary>
    public long MaxInFlightBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Requests in flight at once (Prometheus opens up to <c>max_shards</c> connections).</summary>
    public int MaxConcurrentRequests { get; set; } = 256;

    /// <summary>Retry-After sent with a 503 over budget: the sender's backoff, not a queue (as the receiver's default).</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    public IEnumerable<string> Validate()
    {
        if (MaxInFlightBytes < 1024 * 1024)
        {
            yield return $"Admission__MaxInFlightBytes must be at least 1048576 (is {MaxInFlightBytes}).";
        }

        if (MaxConcurrentRequests < 1)
        {
            yield return $"Admission__MaxConcurrentRequests must be at least 1 (is {MaxConcurrentRequests}).";
        }

        if (RetryAfterSeconds is < 1 or > 300)
        {
            yield return $"Admission__RetryAfterSeconds must be between 1 and 300 (is {RetryAfterSeconds}).";
        }
    }
}
