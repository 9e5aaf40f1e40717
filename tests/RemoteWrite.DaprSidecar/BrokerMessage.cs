namespace RemoteWrite.DaprSidecar;

/// <summary>One published message as the broker stores it: the CloudEvent daprd built at publish time, and its metadata.</summary>
public sealed record BrokerMessage(string Id, string PubSub, string Topic, byte[] CloudEventJson, IReadOnlyDictionary<string, string> Metadata, int DataBytes);
