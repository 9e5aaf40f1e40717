using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RemoteWrite.Core.Destinations;

/// <summary>
/// The YAML document named by <c>DESTINATIONS_FILE</c>, as written (snake_case keys); unknown keys are
/// errors. <see cref="DestinationSettings.From"/> validates it. Example: services/RemoteWrite.Standalone/README.md.
/// </summary>
public sealed class DestinationsFile
{
    /// <summary><c>fanout</c>: every request to every destination; <c>route</c> (default): by each destination's <c>route</c>.</summary>
    public string? Mode { get; set; }

    /// <summary>Where a request or series that matches no route goes; without it, it is dropped and counted as <c>unrouted</c>.</summary>
    public string? DefaultDestination { get; set; }

    public List<Entry>? Destinations { get; set; }

    /// <summary>Reads <paramref name="path"/>; throws <see cref="YamlException"/> (with line and column) or <see cref="IOException"/>.</summary>
    public static DestinationsFile Read(string path)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        using var reader = new StreamReader(path);
        return deserializer.Deserialize<DestinationsFile?>(reader) ?? new DestinationsFile();
    }

    public sealed class Entry
    {
        /// <summary>Letters, digits, '-' and '_': used in the path <c>/api/v1/write/{name}</c>, metric labels and topic names.</summary>
        public string? Name { get; set; }

        /// <summary>One or more ingestion URLs (DCE/DCR) of the same workspace.</summary>
        public List<string>? Endpoints { get; set; }

        /// <summary><c>series-hash</c> (default) or <c>least-load</c>.</summary>
        public string? Balance { get; set; }

        /// <summary>Per endpoint; Azure's limit is 15,000 requests per minute per DCE (the default).</summary>
        public int? MaxRequestsPerMinute { get; set; }

        /// <summary>The single destination's identity variables (IDENTITY_TYPE, AZURE_CLIENT_ID …) with this destination's values.</summary>
        public Dictionary<string, string>? Identity { get; set; }

        /// <summary>Relabel rules for this destination only (the shape of RELABEL_CONFIG_FILE).</summary>
        public string? RelabelConfigFile { get; set; }

        public RouteEntry? Route { get; set; }
    }

    /// <summary>Exactly one of <see cref="Label"/> and <see cref="Header"/>.</summary>
    public sealed class RouteEntry
    {
        /// <summary>A series whose label of this name has one of <see cref="Values"/> goes here.</summary>
        public string? Label { get; set; }

        /// <summary>A request whose header of this name has one of <see cref="Values"/> (default: the destination's name) goes here.</summary>
        public string? Header { get; set; }

        public List<string>? Values { get; set; }
    }
}
