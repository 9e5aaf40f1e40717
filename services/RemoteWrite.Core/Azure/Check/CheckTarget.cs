namespace RemoteWrite.Core.Azure.Check;

/// <summary>One destination the <c>check</c> command tries: its name and every ingestion endpoint URL it sends to.</summary>
public sealed record CheckTarget(string Destination, IReadOnlyList<string> Endpoints);

/// <summary>
/// The destinations the <c>check</c> command tries. Today one: <see cref="Status.IngestionStatus.DefaultDestination"/>
/// with <c>INGESTION_URL</c> (<see cref="SingleDestinationCheckTargets"/>); a multi-destination
/// configuration registers its own (TryAdd) and gets one line per endpoint.
/// </summary>
public interface ICheckTargets
{
    IReadOnlyList<CheckTarget> Targets();
}

/// <summary>
/// How the <c>check</c> command gets a token for a destination: the credential itself in the relay
/// (the keeper's background loop does not run), the token service in the forwarder. Throws with the
/// reason when it cannot; never returns or logs the token beyond the caller.
/// </summary>
public interface ICheckTokenSource
{
    Task<global::Azure.Core.AccessToken> GetTokenAsync(string destination, CancellationToken cancellationToken);
}

/// <summary>The single destination of <c>INGESTION_URL</c> / <c>AzureMonitor__IngestionUrl</c>.</summary>
public sealed class SingleDestinationCheckTargets(Microsoft.Extensions.Options.IOptions<AzureMonitorOptions> options) : ICheckTargets
{
    public IReadOnlyList<CheckTarget> Targets() =>
        [new CheckTarget(Status.IngestionStatus.DefaultDestination, [options.Value.IngestionUrl?.Trim() ?? ""])];
}
