using System.Diagnostics;

namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>Where the built services are, to run them as real processes.</summary>
public static class RelayProcess
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Debug or Release, as this test assembly was built.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Dll(string project) =>
        Path.Combine(RepositoryRoot, "services", project, "bin", Configuration, "net10.0", project + ".dll");

    /// <summary>The relay's start info; a null value removes an inherited variable.</summary>
    public static ProcessStartInfo StartInfo(IDictionary<string, string?> environment) => StartInfo("RemoteWrite.Standalone", environment);

    public static ProcessStartInfo StartInfo(string project, IDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Dll(project) },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Dll(project))!,
        };
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
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
