using RemoteWrite.Core.Configuration;
using RemoteWrite.Dapr;

namespace RemoteWrite.Forwarder;

/// <summary>What the forwarder subscribes to and where it gets its token; section <c>Forwarder</c>.</summary>
public sealed class ForwarderOptions : IValidatedOptions
{
    public const string SectionName = "Forwarder";

    public string PubSubName { get; set; } = DaprNames.PubSub;

    public string Topic { get; set; } = DaprNames.Topic;

    /// <summary>Ask the sidecar for bulk deliveries (daprd batches for any component; Kafka natively).</summary>
    public bool BulkSubscribe { get; set; } = true;

    /// <summary>Most messages in one bulk delivery.</summary>
    public int BulkMaxMessages { get; set; } = 100;

    /// <summary>How long the sidecar waits to fill a bulk delivery.</summary>
    public int BulkMaxAwaitMs { get; set; } = 500;

    public string TokenAppId { get; set; } = DaprNames.TokenServiceAppId;

    public string TokenMethod { get; set; } = DaprNames.TokenMethod;

    /// <summary>A cached token is used until this long before it expires.</summary>
    public TimeSpan TokenRefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>One call to the token service (through both sidecars) may take this long.</summary>
    public TimeSpan TokenTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the forwarder logs the side car's per-minute line and the reasons for dropped data.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(PubSubName) || string.IsNullOrWhiteSpace(Topic))
        {
            yield return "Forwarder:PubSubName and Forwarder:Topic must be set.";
        }

        if (BulkMaxMessages is < 1 or > 10_000)
        {
            yield return $"Forwarder:BulkMaxMessages must be between 1 and 10000 (is {BulkMaxMessages}).";
        }

        if (BulkMaxAwaitMs is < 1 or > 60_000)
        {
            yield return $"Forwarder:BulkMaxAwaitMs must be between 1 and 60000 (is {BulkMaxAwaitMs}).";
        }

        if (string.IsNullOrWhiteSpace(TokenAppId) || string.IsNullOrWhiteSpace(TokenMethod))
        {
            yield return "Forwarder:TokenAppId and Forwarder:TokenMethod must be set.";
        }

        if (TokenRefreshBeforeExpiry < TimeSpan.Zero)
        {
            yield return "Forwarder:TokenRefreshBeforeExpiry must not be negative.";
        }

        if (TokenTimeout <= TimeSpan.Zero || ReportInterval <= TimeSpan.Zero)
        {
            yield return "Forwarder:TokenTimeout and Forwarder:ReportInterval must be positive.";
        }
    }
}
