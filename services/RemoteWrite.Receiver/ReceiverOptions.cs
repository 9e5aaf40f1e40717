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

    /// <summary>
    /// Time from a request's arrival to its answer, body and every part included; past it the answer is
    /// 503 and the sender sends again. Below Prometheus' default <c>remote_timeout</c> of 30 s.
    /// </summary>
    public TimeSpan RequestDeadline { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Largest request header block (Kestrel's MaxRequestHeadersTotalSize); 431 beyond.</summary>
    public int MaxRequestHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>Time a sender has to send the request headers (Kestrel's RequestHeadersTimeout); the connection is closed after.</summary>
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Slowest body a sender may trickle, after <see cref="MinBodyRateGracePeriod"/> (Kestrel's MinRequestBodyDataRate).</summary>
    public double MinBodyBytesPerSecond { get; set; } = 1024;

    public TimeSpan MinBodyRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Validate()
    {
        if (RequestDeadline < TimeSpan.FromSeconds(1) || RequestDeadline > TimeSpan.FromMinutes(5))
        {
            yield return $"Receiver__RequestDeadline must be between 1 second and 5 minutes (is {RequestDeadline}).";
        }

        if (MaxRequestHeaderBytes < 1024)
        {
            yield return $"Receiver__MaxRequestHeaderBytes must be at least 1024 (is {MaxRequestHeaderBytes}).";
        }

        if (HeadersTimeout < TimeSpan.FromSeconds(1))
        {
            yield return "Receiver__HeadersTimeout must be at least 1 second.";
        }

        if (MinBodyBytesPerSecond <= 0 || MinBodyRateGracePeriod <= TimeSpan.FromSeconds(1))
        {
            yield return "Receiver__MinBodyBytesPerSecond must be positive and Receiver__MinBodyRateGracePeriod more than 1 second (Kestrel's rule).";
        }

        if (RetryStatusCode is not (503 or 429 or 500 or 502 or 504))
        {
            yield return $"Receiver__RetryStatusCode must be 503 (default), 429, 500, 502 or 504 (is {RetryStatusCode}).";
        }

        if (DefaultRetryAfterSeconds < 0)
        {
            yield return "Receiver__DefaultRetryAfterSeconds must not be negative.";
        }
    }
}
