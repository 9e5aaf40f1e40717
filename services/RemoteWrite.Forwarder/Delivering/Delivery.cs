using RemoteWrite.Dapr;

namespace RemoteWrite.Forwarder.Delivering;

/// <summary>
/// One message from the broker: its entry id (bulk), the snappy-compressed remote-write 1.0 body
/// the ingress published, and the facts it attached (null when the metadata is missing or of
/// another format version: then the body is checked in full).
/// </summary>
public readonly record struct Delivery(string EntryId, ReadOnlyMemory<byte> Body, MessageFacts? Facts = null);
