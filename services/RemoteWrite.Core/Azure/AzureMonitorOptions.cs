using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Core.Azure;

/// <summary>Where and how to send to Azure Monitor; section <c>AzureMonitor</c> (the side car's <c>INGESTION_URL</c>).</summary>
public sealed class AzureMonitorOptions : IValidatedOptions
{
    public const string SectionName = "AzureMonitor";

    /// <summary>The data collection rule's ingestion URL, used exactly as given (CONTRACT.md §2).</summary>
    public string? IngestionUrl { get; set; }

    /// <summary>
    /// <c>DESTINATIONS_FILE</c>: several destinations, each with its endpoints and identity (Destinations/).
    /// Instead of <see cref="IngestionUrl"/>, never with it.
    /// </summary>
    public string? DestinationsFile { get; set; }

    /// <summary>Set by the services that read <see cref="DestinationsFile"/> (the standalone relay); elsewhere it is a start error.</summary>
    public bool DestinationsFileSupported { get; set; }

    /// <summary>Most POSTs in flight to Azure at once (connections per server).</summary>
    public int MaxConcurrentRequests { get; set; } = 32;

    /// <summary>
    /// Azure requests of one batch in flight at once: the parts of one remote-write request in the
    /// relay, the requests of one delivery in the forwarder. Together they finish within the batch's deadline.
    /// </summary>
    public int MaxConcurrentSendsPerBatch { get; set; } = 4;

    /// <summary>
    /// One attempt's limit: 15 s, so an Azure answering 10 s late is waited for (the fault suite measured
    /// 503s and duplicates at 10 s) while one retry still fits the 25 s total.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>All attempts of one POST together; keep it under Prometheus' <c>remote_timeout</c> (30 s).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Quick retries of a POST after a connection error or a 500/502/504 (duplicates are harmless). 0 turns them off.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>How long a pooled connection lives, so DNS changes of the endpoint are picked up.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the sink waits for a new token after Azure refused one (401/403).</summary>
    public TimeSpan FreshTokenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public string UserAgent { get; set; } = "prometheus-remote-write-relay/1.0";

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(DestinationsFile))
        {
            if (!DestinationsFileSupported)
            {
                yield return "DESTINATIONS_FILE is read by the standalone relay only; this service sends to INGESTION_URL.";
            }
            else if (!string.IsNullOrWhiteSpace(IngestionUrl))
            {
                yield return "INGESTION_URL and DESTINATIONS_FILE are both set: INGESTION_URL is the single destination named \"default\"; list it in DESTINATIONS_FILE instead, or unset DESTINATIONS_FILE.";
            }
        }
        else if (string.IsNullOrWhiteSpace(IngestionUrl))
        {
            yield return "INGESTION_URL (AzureMonitor:IngestionUrl) is required: the data collection rule's metrics ingestion endpoint, https://<dce>.<region>-1.metrics.ingest.monitor.azure.com/dataCollectionRules/<dcr-id>/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24 (or DESTINATIONS_FILE for several destinations).";
        }
        else if (!Uri.TryCreate(IngestionUrl.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"INGESTION_URL (AzureMonitor:IngestionUrl) '{IngestionUrl}' is not an absolute http(s) URL.";
        }

        if (MaxConcurrentRequests < 1)
        {
            yield return $"AzureMonitor:MaxConcurrentRequests must be at least 1 (is {MaxConcurrentRequests}).";
        }

        if (MaxConcurrentSendsPerBatch is < 1 or > 64)
        {
            yield return $"AzureMonitor__MaxConcurrentSendsPerBatch must be between 1 and 64 (is {MaxConcurrentSendsPerBatch}).";
        }

        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout < AttemptTimeout)
        {
            yield return "AzureMonitor:AttemptTimeout must be positive and not above AzureMonitor:TotalTimeout.";
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return $"AzureMonitor:MaxRetries must be between 0 and 10 (is {MaxRetries}).";
        }

        if (FreshTokenTimeout <= TimeSpan.Zero)
        {
            yield return "AzureMonitor:FreshTokenTimeout must be positive.";
        }
    }
}
