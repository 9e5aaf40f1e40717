using System.Text;
using Microsoft.Extensions.Configuration;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Relabel;

namespace RemoteWrite.Core.Destinations;

public enum RoutingMode
{
    /// <summary>By each destination's route; the path <c>/api/v1/write/{name}</c> always works.</summary>
    Route,

    /// <summary>Every request to every destination.</summary>
    Fanout,
}

public enum EndpointBalance
{
    /// <summary>A series always goes to the same endpoint (rendezvous hashing over the healthy ones).</summary>
    SeriesHash,

    /// <summary>Each part to the healthy endpoint with the fewest requests in flight.</summary>
    LeastLoad,
}

public enum RouteKind
{
    Label,
    Header,
}

/// <summary>A destination's route: a label (per series) or a header (per request) and the values that select it.</summary>
public sealed record DestinationRoute(RouteKind Kind, string Name, IReadOnlyList<string> Values)
{
    public byte[] NameUtf8 { get; } = Encoding.UTF8.GetBytes(Name);

    public byte[][] ValuesUtf8 { get; } = [.. Values.Select(Encoding.UTF8.GetBytes)];
}

/// <summary>One validated destination.</summary>
public sealed record DestinationSettings(
    string Name,
    IReadOnlyList<Uri> Endpoints,
    EndpointBalance Balance,
    int MaxRequestsPerMinute,
    IdentityOptions Identity,
    string? RelabelConfigFile,
    DestinationRoute? Route)
{
    /// <summary>This destination's own relabel rules (<c>relabel_config_file</c>), after the receiver's; none by default.</summary>
    public RelabelRules Relabel { get; init; } = RelabelRules.None;

    /// <summary>Azure's limit per data collection endpoint: 15,000 requests per minute (CONTRACT.md §2; Azure Monitor service limits, Prometheus metrics).</summary>
    public const int AzureMaxRequestsPerMinute = 15_000;

    /// <summary>
    /// Validates a read file: the destinations, or every problem, one line each. <paramref name="routingOnly"/>
    /// (a service that only routes, the Dapr ingress): names and routes only; endpoints and identity are the forwarders'.
    /// </summary>
    public static (RoutingMode Mode, string? Default, IReadOnlyList<DestinationSettings> Destinations) From(DestinationsFile file, List<string> problems, bool routingOnly = false)
    {
        var mode = file.Mode?.Trim().ToLowerInvariant() switch
        {
            null or "" or "route" => RoutingMode.Route,
            "fanout" => RoutingMode.Fanout,
            _ => Problem(problems, $"mode '{file.Mode}' is not fanout or route.", RoutingMode.Route),
        };

        var destinations = new List<DestinationSettings>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (file.Destinations is not { Count: > 0 } entries)
        {
            problems.Add("destinations: at least one destination is required.");
            return (mode, null, destinations);
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (From(entries[i], i, mode, routingOnly, problems) is { } destination)
            {
                if (!names.Add(destination.Name))
                {
                    problems.Add($"destination '{destination.Name}': the name is used twice.");
                }

                destinations.Add(destination);
            }
        }

        var defaultName = string.IsNullOrWhiteSpace(file.DefaultDestination) ? null : file.DefaultDestination.Trim();
        if (defaultName is not null && !names.Contains(defaultName))
        {
            problems.Add($"default_destination '{defaultName}' is not the name of a destination.");
        }

        return (mode, defaultName, destinations);
    }

    private static DestinationSettings? From(DestinationsFile.Entry entry, int index, RoutingMode mode, bool routingOnly, List<string> problems)
    {
        var name = entry.Name?.Trim();
        var where = $"destination '{name}'";
        if (string.IsNullOrEmpty(name) || !IsName(name))
        {
            problems.Add($"destinations[{index}]: name '{name}' must be 1-63 letters, digits, '-' or '_'.");
            return null;
        }

        var route = RouteOf(entry.Route, name, mode, where, problems);
        var relabel = RelabelOf(entry.RelabelConfigFile, where, problems);
        if (routingOnly)
        {
            return new DestinationSettings(name, [], EndpointBalance.SeriesHash, AzureMaxRequestsPerMinute, new IdentityOptions(), entry.RelabelConfigFile, route) { Relabel = relabel };
        }

        var endpoints = new List<Uri>();
        foreach (var text in entry.Endpoints ?? [])
        {
            if (Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                if (endpoints.Contains(uri))
                {
                    problems.Add($"{where}: endpoint '{text}' is listed twice.");
                }

                endpoints.Add(uri);
            }
            else
            {
                problems.Add($"{where}: endpoint '{text}' is not an absolute http(s) URL (the data collection rule's metrics ingestion URL).");
            }
        }

        if (entry.Endpoints is not { Count: > 0 })
        {
            problems.Add($"{where}: endpoints needs at least one ingestion URL.");
        }

        var balance = entry.Balance?.Trim().ToLowerInvariant() switch
        {
            null or "" or "series-hash" => EndpointBalance.SeriesHash,
            "least-load" => EndpointBalance.LeastLoad,
            _ => Problem(problems, $"{where}: balance '{entry.Balance}' is not series-hash or least-load.", EndpointBalance.SeriesHash),
        };

        var perMinute = entry.MaxRequestsPerMinute ?? AzureMaxRequestsPerMinute;
        if (perMinute < 1)
        {
            problems.Add($"{where}: max_requests_per_minute must be positive (is {perMinute}).");
        }

        var identity = IdentityOf(entry.Identity, where, problems);

        return new DestinationSettings(name, endpoints, balance, perMinute, identity, entry.RelabelConfigFile, route) { Relabel = relabel };
    }

    private static RelabelRules RelabelOf(string? path, string where, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return RelabelRules.None;
        }

        try
        {
            return RelabelRules.Load(path);
        }
        catch (RelabelConfigException e)
        {
            problems.AddRange(e.Problems.Select(p => $"{where}: relabel_config_file {p}"));
            return RelabelRules.None;
        }
    }

    // The single destination's variables, with this destination's values: one owner of the names (SideCarEnvironment).
    private static IdentityOptions IdentityOf(Dictionary<string, string>? variables, string where, List<string> problems)
    {
        var identity = new IdentityOptions();
        if (variables is null)
        {
            problems.Add($"{where}: identity is required (IDENTITY_TYPE, AZURE_CLIENT_ID … as for the single destination).");
            return identity;
        }

        foreach (var key in variables.Keys)
        {
            if (!SideCarVariables.IdentityVariables.Contains(key))
            {
                problems.Add($"{where}: identity key '{key}' is not one of {string.Join(", ", SideCarVariables.IdentityVariables)}.");
            }
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(variables.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
        SideCarEnvironment.ApplyIdentity(identity, config);
        foreach (var problem in identity.Validate())
        {
            problems.Add($"{where}: identity: {problem}");
        }

        return identity;
    }

    private static DestinationRoute? RouteOf(DestinationsFile.RouteEntry? route, string name, RoutingMode mode, string where, List<string> problems)
    {
        if (route is null)
        {
            return null;
        }

        if (mode == RoutingMode.Fanout)
        {
            problems.Add($"{where}: route is set but mode is fanout (every request goes to every destination).");
            return null;
        }

        var hasLabel = !string.IsNullOrWhiteSpace(route.Label);
        var hasHeader = !string.IsNullOrWhiteSpace(route.Header);
        if (hasLabel == hasHeader)
        {
            problems.Add($"{where}: route needs exactly one of label and header.");
            return null;
        }

        var values = (route.Values ?? []).Where(v => !string.IsNullOrEmpty(v)).ToList();
        if (hasLabel)
        {
            if (values.Count == 0)
            {
                problems.Add($"{where}: route by label '{route.Label}' needs values.");
            }

            return new DestinationRoute(RouteKind.Label, route.Label!.Trim(), values);
        }

        return new DestinationRoute(RouteKind.Header, route.Header!.Trim(), values.Count > 0 ? values : [name]);
    }

    private static bool IsName(string name) =>
        name.Length <= 63 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static T Problem<T>(List<string> problems, string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }
}
