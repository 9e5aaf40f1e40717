namespace RemoteWrite.DaprSidecar;

/// <summary>One message waiting for one consumer group; mutated only under its broker's lock.</summary>
public sealed class PendingDelivery(BrokerMessage message)
{
    public BrokerMessage Message { get; } = message;

    public int Attempts { get; internal set; }

    public DateTimeOffset DueAt { get; internal set; } = DateTimeOffset.MinValue;

    public bool InFlight { get; internal set; }

    /// <summary>The stream entry id for a Redis-backed delivery (what <c>XACK</c> names); null in memory.</summary>
    public string? EntryId { get; init; }

    /// <summary>When this subscriber last got the message from the broker (read or claimed): Redis counts its idle time from then.</summary>
    public DateTimeOffset ReadAt { get; internal set; }
}
