namespace RemoteWrite.Core.Pipeline;

/// <summary>
/// A sink that chooses destinations per request (several destinations, <c>DESTINATIONS_FILE</c>):
/// the receiver hands it what the request says about where it goes. A receiver without one answers
/// 404 to <c>/api/v1/write/{destination}</c>.
/// </summary>
public interface IRoutedWriteSink : IWriteSink
{
    /// <summary>True when <paramref name="destination"/> is a configured destination's name.</summary>
    bool Knows(string destination);

    ValueTask<SinkResult> DeliverAsync(PreparedWrite write, WriteAddress address, CancellationToken cancellationToken);
}

/// <summary>
/// Where a request asks to go: the destination named in its path (<c>/api/v1/write/{destination}</c>),
/// and its headers (looked up by name only when a header route is configured).
/// </summary>
public readonly record struct WriteAddress(string? Destination, Func<string, string?>? Header);
