namespace RemoteWrite.Deploy.Tests.Infrastructure;

/// <summary>
/// A fact that needs programs on PATH (and, with <see cref="Tool.Node"/>, deploy/checks' npm packages):
/// skipped with the reason where one is missing, a failure when CI=true.
/// </summary>
public sealed class RequiresToolsFactAttribute(params string[] tools) : RequiresBinaryFactAttribute(Found(tools), Missing(tools))
{
    private static string? Found(string[] tools) =>
        tools.All(t => Tool.Find(t) is not null) && (!tools.Contains(Tool.Node) || Tool.ChecksInstalled) ? string.Join(",", tools) : null;

    private static string Missing(string[] tools)
    {
        var reasons = tools.Where(t => Tool.Find(t) is null).Select(Tool.InstallHint).ToList();
        if (tools.Contains(Tool.Node) && !Tool.ChecksInstalled)
        {
            reasons.Add("deploy/checks has no node_modules (cd deploy/checks && npm ci)");
        }

        return string.Join("; ", reasons);
    }
}
