namespace RemoteWrite.Receiver;

/// <summary>How the receiver answers senders; section <c>Receiver</c>.</summary>
public sealed class ReceiverOptions : Core.Configuration.IValidatedOptions
{
    public const string SectionName = "Receiver";

    /// <summary>
    /// Status for "try again": 503 by default. Prometheus drops a batch on 429 unless
    /// <c>retry_on_http_429</c> is set (CONTRACT.md §1), so 429 is only for operators who ask for it.
    /// </summary>
    public int RetryStatusCode { get; set; } = 503;

    /// <summary>Retry-After sent with a retry answer when downstream gave none (seconds; 0 sends none).</summary>
    public int DefaultRetryAfterSeconds { get; set; } = 5;

    public IEnumerable<string> Validate()
    {
        if (RetryStatusCode is not (503 or 429 or 500 or 502 or 504))
        {
            yield return $"Receiver:RetryStatusCode must be 503 (default), 429, 500, 502 or 504 (is {RetryStatusCode}).";
        }

        if (DefaultRetryAfterSeconds < 0)
        {
            yield return "Receiver:DefaultRetryAfterSeconds must not be negative.";
        }
    }
}
