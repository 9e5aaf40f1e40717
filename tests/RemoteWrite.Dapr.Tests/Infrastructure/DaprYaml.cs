using System.Globalization;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>The resiliency policy the stand-in applies to deliveries, read from components/resiliency.yaml.</summary>
public static class ResiliencyYaml
{
    /// <summary>Dapr's exponential retry starts at 500 ms (dapr/dapr pkg/resiliency/policy.go, backoff defaults); maxInterval from the file.</summary>
    public static (TimeSpan Initial, TimeSpan Max) DeliveryRetry()
    {
        var doc = MiniYaml.ParseFile(Path.Combine(RepoPaths.Components, "resiliency.yaml"));
        var policyName = (string)MiniYaml.At(doc, "spec", "targets", "components", DaprNames.PubSub, "inbound", "retry")!;
        var max = (string)MiniYaml.At(doc, "spec", "policies", "retries", policyName, "maxInterval")!;
        return (TimeSpan.FromMilliseconds(500), ParseDuration(max));
    }

    public static TimeSpan ParseDuration(string value) => value switch
    {
        _ when value.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(double.Parse(value[..^2], CultureInfo.InvariantCulture)),
        _ when value.EndsWith('s') => TimeSpan.FromSeconds(double.Parse(value[..^1], CultureInfo.InvariantCulture)),
        _ when value.EndsWith('m') => TimeSpan.FromMinutes(double.Parse(value[..^1], CultureInfo.InvariantCulture)),
        _ => throw new FormatException("Unknown duration " + value),
    };
}

/// <summary>The token service's access control, read from components/configuration.yaml.</summary>
public static class ConfigurationYaml
{
    public static AccessControlPolicy TokenServiceAccessControl()
    {
        var doc = MiniYaml.ParseFile(Path.Combine(RepoPaths.Components, "configuration.yaml"));
        var acl = MiniYaml.At(doc, "spec", "accessControl");
        var defaultAllow = (string?)MiniYaml.At(acl, "defaultAction") == "allow";
        var callers = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var policy in (List<object?>)MiniYaml.At(acl, "policies")!)
        {
            var appId = (string)MiniYaml.At(policy, "appId")!;
            var operations = MiniYaml.At(policy, "operations") as List<object?> ?? [];
            var allowsToken = operations.Any(o => (string?)MiniYaml.At(o, "name") == "/" + DaprNames.TokenMethod && (string?)MiniYaml.At(o, "action") == "allow");
            callers[appId] = allowsToken || (string?)MiniYaml.At(policy, "defaultAction") == "allow";
        }

        return new AccessControlPolicy(defaultAllow, callers);
    }
}
