namespace RemoteWrite.Deploy.Tests.Infrastructure;

/// <summary>docker-compose.yml as written (anchors and merge keys resolved).</summary>
public static class Compose
{
    public static object? File() => Yaml.File("docker-compose.yml");

    public static Dictionary<object, object?> Services => Yaml.Map(File(), "services");

    /// <summary>A daprd service's command-line flags (-flag value, or -flag alone for a switch).</summary>
    public static Dictionary<string, string> DaprdFlags(string service)
    {
        var command = Yaml.List(Services[service], "command").Cast<string>().ToList();
        var flags = new Dictionary<string, string>();
        for (var i = 1; i < command.Count; i++)
        {
            if (!command[i].StartsWith('-'))
            {
                continue;
            }

            var name = command[i].TrimStart('-');
            if (i + 1 < command.Count && !command[i + 1].StartsWith('-'))
            {
                flags[name] = command[++i];
            }
            else
            {
                flags[name] = "true";
            }
        }

        return flags;
    }

    /// <summary>The daprd services: (sidecar service, app service it shares the network with).</summary>
    public static IEnumerable<(string Sidecar, string App)> Sidecars =>
        Services.Where(s => Yaml.Str(s.Value, "network_mode") is { } mode && mode.StartsWith("service:", StringComparison.Ordinal))
            .Select(s => ((string)s.Key, Yaml.Str(s.Value, "network_mode")!["service:".Length..]));
}
