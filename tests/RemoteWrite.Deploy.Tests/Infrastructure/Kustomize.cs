using System.Collections.Concurrent;

namespace RemoteWrite.Deploy.Tests.Infrastructure;

/// <summary>`kubectl kustomize` output per kustomization, rendered once per test run.</summary>
public static class Kustomize
{
    /// <summary>Every kustomization a user applies (deploy/base is only rendered through the overlays).</summary>
    public static readonly string[] Targets = ["deploy/overlays/local", "deploy/overlays/azure", "deploy/overlays/sidecar", "deploy/monitoring"];

    private static readonly ConcurrentDictionary<string, Lazy<Task<Command>>> Rendered = new();

    public static Task<Command> RenderAsync(string target) =>
        Rendered.GetOrAdd(target, t => new Lazy<Task<Command>>(() => Command.RunAsync(Tool.Kubectl, ["kustomize", t]))).Value;

    /// <summary>The rendered objects; fails the test when rendering fails.</summary>
    public static async Task<List<object?>> ObjectsAsync(string target)
    {
        var result = await RenderAsync(target);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {target} failed:\n{result.Stderr}");
        return Yaml.Documents(result.Stdout);
    }
}
