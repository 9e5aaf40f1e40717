using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>What the stand-in daprd loads from components/ (its <c>--resources-path</c> and <c>--config</c>): one source of truth with the real deployment.</summary>
public static class DaprYaml
{
    public static string Resiliency => Path.Combine(RepoPaths.Components, "resiliency.yaml");

    public static string Configuration => Path.Combine(RepoPaths.Components, "configuration.yaml");

    public static string PubSub => Path.Combine(RepoPaths.Components, "pubsub.yaml");

    /// <summary>The retry daprd applies to deliveries from the pub/sub to the forwarder.</summary>
    public static RetryPolicy DeliveryRetry() => ResiliencyFile.InboundRetry(Resiliency, DaprNames.PubSub);

    public static AccessControlPolicy AccessControl() => ConfigurationFile.AccessControl(Configuration);

    public static bool MtlsEnabled() => ConfigurationFile.MtlsEnabled(Configuration);

    /// <summary>The pub/sub component's settings as components-contrib parses them.</summary>
    public static RedisPubSubSettings PubSubSettings() => RedisPubSubSettings.FromFile(PubSub);

    /// <summary>The pub/sub component's <c>processingTimeout</c>: when Redis hands an unacknowledged message out again.</summary>
    public static TimeSpan ProcessingTimeout() => PubSubSettings().ProcessingTimeout;

    /// <summary>How long daprd waits for one delivery to the forwarder.</summary>
    public static TimeSpan DeliveryTimeout() => ResiliencyFile.InboundTimeout(Resiliency, DaprNames.PubSub);
}
