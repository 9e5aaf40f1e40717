using RemoteWrite.Core.Identity;

namespace RemoteWrite.Core.Destinations;

/// <summary>One destination at run time: its settings, its own token keeper and its endpoints.</summary>
public sealed class Destination(DestinationSettings settings, AccessTokenKeeper tokens, IReadOnlyList<DestinationEndpoint> endpoints) : IDisposable
{
    public string Name => Settings.Name;

    public DestinationSettings Settings { get; } = settings;

    public AccessTokenKeeper Tokens { get; } = tokens;

    public IReadOnlyList<DestinationEndpoint> Endpoints { get; } = endpoints;

    public DestinationRoute? Route => Settings.Route;

    /// <summary>True when series must be grouped by endpoint: several endpoints chosen by series hash.</summary>
    public bool SpreadsBySeries => Endpoints.Count > 1 && Settings.Balance == EndpointBalance.SeriesHash;

    /// <summary>True when the request cannot go as it came: series grouped by endpoint, or this destination's relabel rules.</summary>
    public bool NeedsSeries => SpreadsBySeries || !Settings.Relabel.IsEmpty;

    public void Dispose()
    {
        Tokens.Dispose();
        foreach (var endpoint in Endpoints)
        {
            endpoint.Dispose();
        }
    }
}
