using Dapr.AspNetCore;

namespace RemoteWrite.Forwarder.Delivering;

/// <summary>The answer to daprd for one delivery (components-contrib pubsub/responses.go).</summary>
public enum DeliveryStatus
{
    /// <summary>Azure accepted it: acknowledge.</summary>
    Success,

    /// <summary>Not now (Azure 5xx/429/401/403, network, no token, out of time): daprd redelivers under the resiliency policy.</summary>
    Retry,

    /// <summary>Never deliverable (too old for Azure, invalid, refused as invalid): counted and dropped.</summary>
    Drop,
}

public static class DeliveryStatusNames
{
    public static string ToWire(this DeliveryStatus status) => status.ToSdk().ToString();

    public static BulkSubscribeAppResponseStatus ToSdk(this DeliveryStatus status) => status switch
    {
        DeliveryStatus.Success => BulkSubscribeAppResponseStatus.SUCCESS,
        DeliveryStatus.Drop => BulkSubscribeAppResponseStatus.DROP,
        _ => BulkSubscribeAppResponseStatus.RETRY,
    };
}
