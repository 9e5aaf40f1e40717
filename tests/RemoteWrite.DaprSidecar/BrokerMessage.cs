namespace RemoteWrite.DaprSidecar;

/// <summary>
/// One published message as the broker stores it: <see cref="Data"/> is the CloudEvent daprd built at
/// publish time, or the payload itself when published with <c>rawPayload</c> (<see cref="Raw"/>;
/// dapr/dapr pkg/api/grpc/grpc.go <c>PublishEvent</c> skips the envelope), and the publish metadata
/// the component keeps beside it (components-contrib pubsub/redis/redis.go <c>Publish</c>).
/// </summary>
public sealed record BrokerMessage(string Id, string PubSub, string Topic, byte[] Data, IReadOnlyDictionary<string, string> Metadata, int DataBytes)
{
    /// <summary>Published with <c>rawPayload=true</c>: <see cref="Data"/> is the payload, not a CloudEvent.</summary>
    public bool Raw => RawPayload.IsSet(Metadata);
}
