using System.Text.RegularExpressions;
using RemoteWrite.Deploy.Tests.Infrastructure;

namespace RemoteWrite.Deploy.Tests;

/// <summary>One Dockerfile per deployable, built from the repository root; linted; the team's rules.</summary>
public sealed partial class DockerfileTests
{
    public static readonly string[] Deployables = ["RemoteWrite.Ingress", "RemoteWrite.Forwarder", "RemoteWrite.TokenService", "RemoteWrite.Standalone", "RemoteWrite.LocalAzure"];

    private static string Dockerfile(string project) => Path.Combine(RepoPaths.Root, "services", project, "Dockerfile");

    [RequiresToolsFact(Tool.Node)]
    public async Task Dockerfiles_pass_dockerfilelint()
    {
        var lint = Path.Combine(Tool.ChecksDirectory, "node_modules", "dockerfilelint", "bin", "dockerfilelint");
        var result = await Command.RunAsync(Tool.Node, [lint, "-c", Tool.ChecksDirectory, .. Deployables.Select(Dockerfile)]);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void Every_deployable_has_a_multi_stage_non_root_image_with_healthcheck_and_labels()
    {
        foreach (var project in Deployables)
        {
            var text = File.ReadAllText(Dockerfile(project));
            var froms = FromLine().Matches(text).Select(m => m.Groups["image"].Value).ToList();
            Assert.True(froms.Count >= 2, $"{project}: multi-stage");
            foreach (var image in froms)
            {
                // Pinned to a tag, never latest (dockerfilelint's own tag rule is off: it misreads --platform).
                Assert.Matches(@":[^:@]+$", image);
                Assert.DoesNotContain(":latest", image);
            }

            Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", froms[^1]);
            var user = UserLine().Matches(text).Last().Groups["user"].Value;
            Assert.True(int.TryParse(user, out var uid) && uid > 0, $"{project}: last USER must be a numeric non-root uid (is {user})");
            Assert.Contains("HEALTHCHECK ", text);
            foreach (var label in new[] { "org.opencontainers.image.title", "org.opencontainers.image.version", "org.opencontainers.image.revision", "org.opencontainers.image.source" })
            {
                Assert.Contains(label, text);
            }

            Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", text);
            Assert.Contains($"RUN dotnet restore services/{project}/{project}.csproj", text);
        }
    }

    [Fact]
    public void Images_copy_every_project_their_project_references()
    {
        foreach (var project in Deployables)
        {
            var text = File.ReadAllText(Dockerfile(project));
            foreach (var reference in ProjectClosure(project))
            {
                Assert.Contains($"COPY services/{reference}/{reference}.csproj services/{reference}/", text);
            }
        }
    }

    [Fact]
    public void Build_context_leaves_out_build_outputs_and_local_files()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"));
        foreach (var entry in new[] { "**/bin/", "**/obj/", ".git", ".env", "tests/" })
        {
            Assert.Contains(entry, ignore);
        }
    }

    private static HashSet<string> ProjectClosure(string project)
    {
        var all = new HashSet<string> { project };
        var csproj = File.ReadAllText(Path.Combine(RepoPaths.Root, "services", project, project + ".csproj"));
        foreach (Match m in ProjectReference().Matches(csproj))
        {
            all.UnionWith(ProjectClosure(m.Groups["name"].Value));
        }

        return all;
    }

    [GeneratedRegex(@"(?m)^FROM (?:--platform=\S+ )?(?<image>\S+)")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"(?m)^USER (?<user>\S+)")]
    private static partial Regex UserLine();

    [GeneratedRegex(@"ProjectReference Include=""\.\./(?<name>[^/]+)/")]
    private static partial Regex ProjectReference();
}
