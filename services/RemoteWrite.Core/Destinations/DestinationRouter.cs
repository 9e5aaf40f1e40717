using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Destinations;

/// <summary>
/// Which destinations a request reaches (README: "Several destinations"), first match wins: the
/// destination named in the path; every destination (<c>mode: fanout</c>); the destinations whose
/// header route matches; with label routes, each series to the destinations whose label value
/// matches; else <c>default_destination</c>. What matches nothing goes nowhere (the caller counts it).
/// Shared by every service that routes: the relay's sink routes its <see cref="Destination"/>s, the
/// Dapr ingress the <see cref="DestinationSettings"/> it publishes topics for.
/// </summary>
public sealed class DestinationRouter<T>
    where T : class
{
    private readonly Dictionary<string, T> _byName = new(StringComparer.Ordinal);
    private readonly Func<T, DestinationRoute?> _routeOf;

    public DestinationRouter(RoutingMode mode, IReadOnlyList<T> all, Func<T, string> nameOf, Func<T, DestinationRoute?> routeOf, string? defaultName)
    {
        _routeOf = routeOf;
        foreach (var destination in all)
        {
            _byName[nameOf(destination)] = destination;
        }

        Mode = mode;
        All = all;
        Default = defaultName is null ? null : _byName.GetValueOrDefault(defaultName);
        LabelRouted = [.. all.Where(d => routeOf(d)?.Kind == RouteKind.Label)];
        HeaderRouted = [.. all.Where(d => routeOf(d)?.Kind == RouteKind.Header)];
    }

    public RoutingMode Mode { get; }

    public IReadOnlyList<T> All { get; }

    public T? Default { get; }

    public IReadOnlyList<T> LabelRouted { get; }

    public IReadOnlyList<T> HeaderRouted { get; }

    public T? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The destinations that get the request whole; <paramref name="byLabel"/> when its series must be routed one by one (<see cref="ByLabel"/>).</summary>
    public IReadOnlyList<T> Whole(WriteAddress address, out bool byLabel)
    {
        byLabel = false;
        if (address.Destination is { } name)
        {
            return Find(name) is { } named ? [named] : [];
        }

        if (Mode == RoutingMode.Fanout)
        {
            return All;
        }

        if (HeaderRouted.Count > 0 && address.Header is { } header)
        {
            var chosen = new List<T>();
            foreach (var destination in HeaderRouted)
            {
                var route = _routeOf(destination)!;
                if (header(route.Name) is { } value && route.Values.Contains(value.Trim(), StringComparer.Ordinal))
                {
                    chosen.Add(destination);
                }
            }

            if (chosen.Count > 0)
            {
                return chosen;
            }
        }

        if (LabelRouted.Count > 0)
        {
            byLabel = true;
            return [];
        }

        return Default is { } fallback ? [fallback] : [];
    }

    /// <summary>Each series to the destinations whose label route it matches, else to the default; <paramref name="unrouted"/>: the points of series that go nowhere.</summary>
    public Dictionary<T, List<int>> ByLabel(DecodedWrite decoded, out int unrouted)
    {
        var selections = new Dictionary<T, List<int>>();
        unrouted = 0;
        for (var i = 0; i < decoded.SeriesCount; i++)
        {
            var matched = false;
            foreach (var destination in LabelRouted)
            {
                var route = _routeOf(destination)!;
                var value = decoded.LabelValue(i, route.NameUtf8);
                foreach (var wanted in route.ValuesUtf8)
                {
                    if (value.SequenceEqual(wanted))
                    {
                        Add(selections, destination, i);
                        matched = true;
                        break;
                    }
                }
            }

            if (!matched)
            {
                if (Default is { } fallback)
                {
                    Add(selections, fallback, i);
                }
                else
                {
                    unrouted += decoded.Series[i].Points;
                }
            }
        }

        return selections;

        static void Add(Dictionary<T, List<int>> selections, T destination, int series)
        {
            if (!selections.TryGetValue(destination, out var list))
            {
                selections[destination] = list = [];
            }

            list.Add(series);
        }
    }
}
