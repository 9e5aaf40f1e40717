using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Destinations;

/// <summary>
/// Which destinations a request reaches (README: "Several destinations"), first match wins: the
/// destination named in the path; every destination (<c>mode: fanout</c>); the destinations whose
/// header route matches; with label routes, each series to the destinations whose label value
/// matches; else <c>default_destination</c>. What matches nothing goes nowhere (the caller counts it).
/// Shared seam for every service that routes (the relay's sink; the Dapr ingress later).
/// </summary>
public sealed class DestinationRouter(DestinationSet destinations)
{
    /// <summary>The destinations that get the request whole; <paramref name="byLabel"/> when its series must be routed one by one (<see cref="ByLabel"/>).</summary>
    public IReadOnlyList<Destination> Whole(WriteAddress address, out bool byLabel)
    {
        byLabel = false;
        if (address.Destination is { } name)
        {
            return destinations.Find(name) is { } named ? [named] : [];
        }

        if (destinations.Mode == RoutingMode.Fanout)
        {
            return destinations.All;
        }

        if (destinations.HeaderRouted.Count > 0 && address.Header is { } header)
        {
            var chosen = new List<Destination>();
            foreach (var destination in destinations.HeaderRouted)
            {
                var route = destination.Route!;
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

        if (destinations.LabelRouted.Count > 0)
        {
            byLabel = true;
            return [];
        }

        return destinations.Default is { } fallback ? [fallback] : [];
    }

    /// <summary>Each series to the destinations whose label route it matches, else to the default; <paramref name="unrouted"/>: the points of series that go nowhere.</summary>
    public Dictionary<Destination, List<int>> ByLabel(DecodedWrite decoded, out int unrouted)
    {
        var selections = new Dictionary<Destination, List<int>>();
        unrouted = 0;
        for (var i = 0; i < decoded.SeriesCount; i++)
        {
            var matched = false;
            foreach (var destination in destinations.LabelRouted)
            {
                var route = destination.Route!;
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
                if (destinations.Default is { } fallback)
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

        static void Add(Dictionary<Destination, List<int>> selections, Destination destination, int series)
        {
            if (!selections.TryGetValue(destination, out var list))
            {
                selections[destination] = list = [];
            }

            list.Add(series);
        }
    }
}
