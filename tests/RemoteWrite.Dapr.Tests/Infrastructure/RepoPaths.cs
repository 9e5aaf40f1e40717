using System.Reflection;

namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>Where the repository and the services' build outputs are, found from the test assembly.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Components => Path.Combine(Root, "components");

    /// <summary>The service's own build output (same configuration as the tests).</summary>
    public static string ServiceDll(string project)
    {
        var configuration = typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(Root, "services", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} is missing.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RemoteWrite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RemoteWrite.sln not found above " + AppContext.BaseDirectory);
    }
}
