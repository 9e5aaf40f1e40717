namespace RemoteWrite.Core.Pipeline;

/// <summary>
/// Where a receiver hands a prepared request: the Azure sender in the standalone relay, the Dapr
/// publisher in the ingress. The receiver answers the sender 2xx only when the sink says
/// <see cref="SinkStatus.Delivered"/>, so nothing is lost once 2xx is answered.
/// </summary>
public interface IWriteSink
{
    ValueTask<SinkResult> DeliverAsync(PreparedWrite write, CancellationToken cancellationToken);
}

public enum SinkStatus
{
    /// <summary>Every part is safe downstream (Azure accepted it, or the broker acknowledged it).</summary>
    Delivered,

    /// <summary>Not delivered now; the sender should try again later (503).</summary>
    RetryLater,

    /// <summary>Downstream refused the data as never valid (400, with its message).</summary>
    Rejected,
}

/// <summary>The outcome of a delivery; <see cref="Message"/> is safe to show the sender.</summary>
public readonly record struct SinkResult(SinkStatus Status, TimeSpan? RetryAfter = null, string? Message = null)
{
    public static SinkResult Delivered { get; } = new(SinkStatus.Delivered);

    public static SinkResult Retry(string message, TimeSpan? retryAfter = null) => new(SinkStatus.RetryLater, retryAfter, message);

    public static SinkResult Rejected(string message) => new(SinkStatus.Rejected, null, message);
}
