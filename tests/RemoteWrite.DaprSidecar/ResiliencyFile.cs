using System.Globalization;
using System.Text.RegularExpressions;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// Reads a Resiliency resource (components/resiliency.yaml) as daprd does for one target
/// (dapr/dapr pkg/resiliency/resiliency.go; field names and defaults dapr/kit retry/retry.go):
/// the retry policy named by <c>spec.targets.components.{name}.inbound.retry</c>.
/// </summary>
public static partial class ResiliencyFile
{
    public static RetryPolicy InboundRetry(string path, string component)
    {
        var doc = MiniYaml.ParseFile(path);
        var name = MiniYaml.At(doc, "spec", "targets", "components", component, "inbound", "retry") as string
            ?? throw new FormatException($"{path}: no inbound retry for component {component}");
        var policy = MiniYaml.At(doc, "spec", "policies", "retries", name) as Dictionary<string, object?>
            ?? throw new FormatException($"{path}: retry policy {name} is not defined");
        var d = RetryPolicy.Default;
        return new RetryPolicy(
            Exponential: Text(policy, "policy") is { } kind ? kind.Equals("exponential", StringComparison.OrdinalIgnoreCase) : d.Exponential,
            Duration: Text(policy, "duration") is { } duration ? ParseDuration(duration) : d.Duration,
            InitialInterval: Text(policy, "initialInterval") is { } initial ? ParseDuration(initial) : d.InitialInterval,
            Multiplier: Text(policy, "multiplier") is { } multiplier ? double.Parse(multiplier, CultureInfo.InvariantCulture) : d.Multiplier,
            MaxInterval: Text(policy, "maxInterval") is { } max ? ParseDuration(max) : d.MaxInterval,
            MaxRetries: Text(policy, "maxRetries") is { } retries ? long.Parse(retries, CultureInfo.InvariantCulture) : d.MaxRetries);
    }

    /// <summary>The timeout named by <c>spec.targets.components.{name}.inbound.timeout</c>: how long daprd waits for one delivery to the app.</summary>
    public static TimeSpan InboundTimeout(string path, string component)
    {
        var doc = MiniYaml.ParseFile(path);
        var name = MiniYaml.At(doc, "spec", "targets", "components", component, "inbound", "timeout") as string
            ?? throw new FormatException($"{path}: no inbound timeout for component {component}");
        var value = MiniYaml.At(doc, "spec", "policies", "timeouts", name) as string
            ?? throw new FormatException($"{path}: timeout {name} is not defined");
        return ParseDuration(value);
    }

    /// <summary>A Go duration as Dapr's YAML writes them: <c>500ms</c>, <c>10s</c>, <c>1m30s</c>, <c>1h</c>.</summary>
    public static TimeSpan ParseDuration(string value)
    {
        var parts = GoDuration().Matches(value);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != value)
        {
            throw new FormatException("Not a duration: " + value);
        }

        return parts.Aggregate(TimeSpan.Zero, (sum, p) => sum + Unit(double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture), p.Groups[2].Value));
    }

    private static TimeSpan Unit(double n, string unit) => unit switch
    {
        "ms" => TimeSpan.FromMilliseconds(n),
        "s" => TimeSpan.FromSeconds(n),
        "m" => TimeSpan.FromMinutes(n),
        _ => TimeSpan.FromHours(n),
    };

    private static string? Text(Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key) as string;

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex GoDuration();
}
