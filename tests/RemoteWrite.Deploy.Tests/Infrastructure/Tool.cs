namespace RemoteWrite.Deploy.Tests.Infrastructure;

/// <summary>The external programs these checks run, found on PATH, with how to get each.</summary>
public static class Tool
{
    public const string Kubectl = "kubectl";
    public const string Promtool = "promtool";
    public const string DockerCompose = "docker-compose";
    public const string Node = "node";
    public const string SystemdAnalyze = "systemd-analyze";

    /// <summary>How to install each tool (shown when a test skips).</summary>
    public static string InstallHint(string tool) => tool switch
    {
        // Not a Debian package: this machine image carries Google's Cloud SDK "kubectl" package.
        Kubectl => "kubectl with built-in kustomize (>= 1.14) is not installed; it is not a Debian package (this machine image has Google's Cloud SDK kubectl package)",
        Promtool => "promtool is not installed (apt-get install prometheus)",
        DockerCompose => "docker-compose is not installed (apt-get install docker-compose)",
        Node => "node is not installed (apt-get install nodejs npm)",
        SystemdAnalyze => "systemd-analyze is not installed (apt-get install systemd)",
        _ => tool + " is not installed",
    };

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>deploy/checks' npm packages, installed by <c>npm ci</c> there (.ci/run does it).</summary>
    public static string ChecksDirectory => Path.Combine(RepoPaths.Root, "deploy", "checks");

    public static bool ChecksInstalled => Directory.Exists(Path.Combine(ChecksDirectory, "node_modules", "kubernetes-models"));
}
