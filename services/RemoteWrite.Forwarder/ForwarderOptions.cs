using RemoteWrite.Core.Configuration;
using RemoteWrite.Dapr;

namespace RemoteWrite.Forwarder;

/// <summary>What the forwarder subscribes to, how it sends and where it gets its token; section <c>Forwarder</c> (README.md beside).</summary>
public sealed class ForwarderOptions : IValidatedOptions
{
    public const string SectionName = "Forwarder";

    // A bulk entry carries its message as base64 (4 bytes per 3) plus its id, content type and metadata.
    private const int EntryOverheadBytes = 4096;
    private const int EnvelopeOverheadBytes = 64 * 1024;

    public string PubSubName { get; set; } = DaprNames.PubSub;

    public string Topic { get; set; } = DaprNames.Topic;

    /// <summary>Where daprd puts a message whose retries are spent; the forwarder subscribes to it too, with itself as dead-letter topic.</summary>
    public string RetryTopic { get; set; } = DaprNames.RetryTopic;

    /// <summary>Ask the sidecar for bulk deliveries (daprd batches for any component; Kafka natively).</summary>
    public bool BulkSubscribe { get; set; } = true;

    /// <summary>
    /// Most messages in one bulk delivery. With Redis, daprd's bulk never holds more than the
    /// component's <c>concurrency</c> (components/README.md): keep them equal.
    /// </summary>
    public int BulkMaxMessages { get; set; } = 32;

    /// <summary>How long the sidecar waits to fill a bulk delivery.</summary>
    public int BulkMaxAwaitMs { get; set; } = 1000;

    /// <summary>
    /// Time to answer one delivery: what is not sent by then answers RETRY. Well inside the sidecar's
    /// delivery timeout (components/resiliency.yaml <c>delivery: 60s</c>), so daprd never times a
    /// bulk out and redelivers entries Azure already accepted.
    /// </summary>
    public TimeSpan DeliveryDeadline { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Largest message the ingress publishes (<see cref="HandOff.MaxMessageBytesKey"/>, shared with the ingress).</summary>
    public int MaxMessageBytes { get; set; } = HandOff.DefaultMaxMessageBytes;

    public string TokenAppId { get; set; } = DaprNames.TokenServiceAppId;

    public string TokenMethod { get; set; } = DaprNames.TokenMethod;

    /// <summary>A cached token is used until this long before it expires.</summary>
    public TimeSpan TokenRefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>One call to the token service may take this long, the sidecars' retries included (resiliency.yaml <c>token</c>).</summary>
    public TimeSpan TokenTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the forwarder logs the reasons for dropped data.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The largest delivery body the endpoint accepts: a full bulk of the largest messages, base64 in JSON.</summary>
    public long MaxDeliveryBodyBytes => (long)Math.Max(BulkSubscribe ? BulkMaxMessages : 1, 1) * (((long)MaxMessageBytes + 2) / 3 * 4 + EntryOverheadBytes) + EnvelopeOverheadBytes;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(PubSubName) || string.IsNullOrWhiteSpace(Topic) || string.IsNullOrWhiteSpace(RetryTopic))
        {
            yield return "Forwarder__PubSubName, Forwarder__Topic and Forwarder__RetryTopic must be set.";
        }
        else if (RetryTopic == Topic)
        {
            yield return "Forwarder__RetryTopic must differ from Forwarder__Topic.";
        }

        if (BulkMaxMessages is < 1 or > 1000)
        {
            yield return $"Forwarder__BulkMaxMessages must be between 1 and 1000 (is {BulkMaxMessages}).";
        }

        if (BulkMaxAwaitMs is < 1 or > 60_000)
        {
            yield return $"Forwarder__BulkMaxAwaitMs must be between 1 and 60000 (is {BulkMaxAwaitMs}).";
        }


        if (DeliveryDeadline <= TimeSpan.Zero || DeliveryDeadline > TimeSpan.FromMinutes(10))
        {
            yield return $"Forwarder__DeliveryDeadline must be positive and at most 10 minutes (is {DeliveryDeadline}); keep it below the sidecar's delivery timeout.";
        }

        if (MaxMessageBytes < 1024)
        {
            yield return $"Ingress__MaxMessageBytes must be at least 1024 (is {MaxMessageBytes}).";
        }

        if (MaxDeliveryBodyBytes > 1L << 30)
        {
            yield return $"Forwarder__BulkMaxMessages × Ingress__MaxMessageBytes allows deliveries of {MaxDeliveryBodyBytes} bytes (over 1 GiB): lower one of them.";
        }

        if (string.IsNullOrWhiteSpace(TokenAppId) || string.IsNullOrWhiteSpace(TokenMethod))
        {
            yield return "Forwarder__TokenAppId and Forwarder__TokenMethod must be set.";
        }

        if (TokenRefreshBeforeExpiry < TimeSpan.Zero)
        {
            yield return "Forwarder__TokenRefreshBeforeExpiry must not be negative.";
        }

        if (TokenTimeout <= TimeSpan.Zero || ReportInterval <= TimeSpan.Zero)
        {
            yield return "Forwarder__TokenTimeout and Forwarder__ReportInterval must be positive.";
        }
    }
}
