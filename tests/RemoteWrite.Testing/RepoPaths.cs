using System.Reflection;

namespace RemoteWrite.Testing;

/// <summary>Where the repository and the services' build outputs are, found from the test's output directory.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Components => Path.Combine(Root, "components");

    /// <summary>Debug or Release, as the tests were built (this library is built with them).</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The service's own build output, same configuration as the tests; not checked to exist.</summary>
    public static string ServiceDllPath(string project) =>
        Path.Combine(Root, "services", project, "bin", Configuration, "net10.0", project + ".dll");

    /// <summary>As <see cref="ServiceDllPath"/>, failing with a hint when the service was not built.</summary>
    public static string ServiceDll(string project)
    {
        var path = ServiceDllPath(project);
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
