using System.Text.RegularExpressions;

namespace RemoteWrite.Deploy.Tests.Infrastructure;

/// <summary>
/// The Prometheus names of every instrument the services create (read from services/**/*.cs), as the
/// OpenTelemetry Prometheus exporter writes them: dots become underscores, the unit is appended
/// ("s" → _seconds, "By" → _bytes, "{…}" annotations dropped) unless the name already ends with it,
/// counters get _total, histograms _bucket/_sum/_count. MetricNamesLiveTests checks these rules
/// against a running relay's /metrics.
/// </summary>
public static partial class MetricCatalog
{
    public static IReadOnlySet<string> Names { get; } = Build();

    /// <summary>Metric names a PromQL expression or dashboard query uses from this product.</summary>
    public static IEnumerable<string> Referenced(string promQl) =>
        OurMetric().Matches(promQl).Select(m => m.Value).Distinct();

    private static HashSet<string> Build()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var services = Path.Combine(RepoPaths.Root, "services");
        foreach (var file in Directory.EnumerateFiles(services, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match m in Instrument().Matches(File.ReadAllText(file)))
            {
                foreach (var name in PrometheusNames(m.Groups["kind"].Value, m.Groups["name"].Value, m.Groups["unit"].Value))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    public static IEnumerable<string> PrometheusNames(string kind, string name, string unit)
    {
        var baseName = name.Replace('.', '_').Replace('-', '_');
        var suffix = unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            "1" => "ratio",
            _ when unit.StartsWith('{') => "",
            _ => unit,
        };
        if (suffix.Length > 0 && !baseName.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            baseName += "_" + suffix;
        }

        return kind switch
        {
            "Counter" or "ObservableCounter" => [baseName + "_total"],
            "Histogram" => [baseName + "_bucket", baseName + "_sum", baseName + "_count"],
            _ => [baseName],
        };
    }

    // meter.CreateCounter<long>("name", "unit", …) and CreateObservableGauge("name", () => …, "unit", …):
    // the unit is the first string literal after the name in both shapes.
    [GeneratedRegex(@"Create(?<kind>Counter|Histogram|Gauge|UpDownCounter|ObservableCounter|ObservableGauge|ObservableUpDownCounter)(?:<[^>]+>)?\(\s*""(?<name>[^""]+)""[^""]*""(?<unit>[^""]*)""", RegexOptions.Singleline)]
    private static partial Regex Instrument();

    [GeneratedRegex(@"\b(?:remotewrite|localazure)_[a-z0-9_]+")]
    private static partial Regex OurMetric();
}
