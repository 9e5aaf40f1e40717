namespace RemoteWrite.Dapr;

/// <summary>
/// The one source of truth for the names the services and <c>components/</c>, <c>dapr.yaml</c>
/// share. A test (DaprNamesYamlTests) reads the YAML and checks it against these.
/// </summary>
public static class DaprNames
{
    /// <summary>The pub/sub component (<c>components/pubsub.yaml</c> metadata.name).</summary>
    public const string PubSub = "remotewrite-pubsub";

    /// <summary>The topic the ingress publishes to and the forwarder subscribes to.</summary>
    public const string Topic = "remotewrite";

    /// <summary>
    /// The topic of one destination (DESTINATIONS_FILE at the ingress): <c>{topic}-{destination}</c>, so a destination
    /// whose forwarder is held up by an outage never holds up another's. Its forwarder subscribes with
    /// <c>Forwarder__Topic</c> set to it (and its own <c>Forwarder__RetryTopic</c>, <see cref="DestinationTopic"/> of <see cref="RetryTopic"/>).
    /// </summary>
    public static string DestinationTopic(string topic, string destination) => topic + "-" + destination;

    /// <summary>
    /// The dead-letter topic of both forwarder subscriptions, its own included: a message whose delivery
    /// retries are spent (resiliency.yaml) is published here and delivered again, instead of being
    /// acknowledged and lost (components-contrib ≥ 1.17 acknowledges a Redis message daprd gave up on).
    /// </summary>
    public const string RetryTopic = "remotewrite-retry";

    /// <summary>The secret store the token service reads credential material from.</summary>
    public const string SecretStore = "remotewrite-secrets";

    /// <summary>The Dapr Configuration (access control, secret scopes) every app runs with.</summary>
    public const string Configuration = "remotewrite-config";

    /// <summary>The resiliency policy document.</summary>
    public const string Resiliency = "remotewrite-resiliency";

    public const string IngressAppId = "remotewrite-ingress";

    public const string ForwarderAppId = "remotewrite-forwarder";

    public const string TokenServiceAppId = "remotewrite-token";

    /// <summary>The token service's method, invoked as <c>/v1.0/invoke/{TokenServiceAppId}/method/{TokenMethod}</c>.</summary>
    public const string TokenMethod = "token";

    /// <summary>
    /// The token service's refresh: <c>POST</c> with the SHA-256 of a token Azure refused (401/403);
    /// the service replaces it at its source if it still holds it. The forwarder only (configuration.yaml).
    /// </summary>
    public const string TokenRefreshMethod = "token/refresh";

    /// <summary>The forwarder's delivery route (the SDK announces it without a leading slash).</summary>
    public const string DeliveryRoute = "deliveries";

    /// <summary>The forwarder's route for <see cref="RetryTopic"/>.</summary>
    public const string RetryDeliveryRoute = "redeliveries";

    /// <summary>Secret holding the application's client secret (components/secrets.dev.json, allowedSecrets).</summary>
    public const string ClientSecretKey = "azure-client-secret";

    /// <summary>Secret holding the client certificate with its key: PEM text, or a PFX as base64.</summary>
    public const string CertificateKey = "azure-client-certificate";

    /// <summary>Secret holding the certificate's password, if any.</summary>
    public const string CertificatePasswordKey = "azure-client-certificate-password";
}
