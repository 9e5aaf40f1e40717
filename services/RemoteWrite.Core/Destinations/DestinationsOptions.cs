using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Core.Destinations;

/// <summary>
/// The destinations of <c>DESTINATIONS_FILE</c>, read and validated at start: every problem one line,
/// prefixed with the file's name. Unset: none, and no problem (the single destination of INGESTION_URL, AzureMonitorOptions).
/// </summary>
public sealed class DestinationsOptions : IValidatedOptions
{
    private (RoutingMode Mode, string? Default, IReadOnlyList<DestinationSettings> Destinations, List<string> Problems)? _read;

    /// <summary>The path of the YAML file (<c>DESTINATIONS_FILE</c>).</summary>
    public string? File { get; set; }

    /// <summary>Names and routes only (a service that routes but does not send: the Dapr ingress).</summary>
    public bool RoutingOnly { get; set; }

    public RoutingMode Mode => Read().Mode;

    public string? DefaultDestination => Read().Default;

    public IReadOnlyList<DestinationSettings> Destinations => Read().Destinations;

    public IEnumerable<string> Validate() => Read().Problems;

    private (RoutingMode Mode, string? Default, IReadOnlyList<DestinationSettings> Destinations, List<string> Problems) Read()
    {
        if (_read is { } read)
        {
            return read;
        }

        var problems = new List<string>();
        var result = (RoutingMode.Route, (string?)null, (IReadOnlyList<DestinationSettings>)[], problems);
        if (!string.IsNullOrWhiteSpace(File))
        {
            var fileProblems = new List<string>();
            try
            {
                var (mode, defaultName, destinations) = DestinationSettings.From(DestinationsFile.Read(File), fileProblems, RoutingOnly);
                result = (mode, defaultName, destinations, problems);
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                fileProblems.Add($"line {e.Start.Line}, column {e.Start.Column}: {(e.InnerException ?? e).Message}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                fileProblems.Add($"cannot be read: {e.Message}");
            }

            problems.AddRange(fileProblems.Select(p => $"{SideCarVariables.DestinationsFile} '{File}': {p}"));
        }

        _read = result;
        return result;
    }
}
