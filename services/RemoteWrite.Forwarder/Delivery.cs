namespace RemoteWrite.Forwarder;

/// <summary>One message from the broker: its entry id (bulk) and the snappy-compressed remote-write 1.0 body the ingress published.</summary>
public readonly record struct Delivery(string EntryId, ReadOnlyMemory<byte> Body);
