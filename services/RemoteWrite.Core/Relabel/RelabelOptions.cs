using Microsoft.Extensions.Configuration;
using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// The receiver's relabel rules: section <c>Relabel</c>, usually set through <c>RELABEL_CONFIG_FILE</c>
/// (<see cref="SideCarVariables.RelabelConfigFile"/>, mapped by <see cref="ApplyEnvironment"/>). No file, no
/// rules: the request path is then exactly what it is without this feature. The file is read once, at start.
/// </summary>
public sealed class RelabelOptions : IValidatedOptions
{
    public const string SectionName = "Relabel";

    private RelabelRules? _rules;
    private IReadOnlyList<string>? _problems;

    /// <summary>A YAML list of rules in the shape of Prometheus' <c>write_relabel_configs</c>.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>The compiled rules (<see cref="RelabelRules.None"/> without a file); read on first use.</summary>
    public RelabelRules Rules
    {
        get
        {
            LoadOnce();
            return _rules!;
        }
    }

    /// <summary>The environment name wins over the section's key, as for the side car's other variables.</summary>
    public static void ApplyEnvironment(RelabelOptions options, IConfiguration config)
    {
        if (SideCarEnvironment.Get(config, SideCarVariables.RelabelConfigFile) is { } path)
        {
            options.ConfigFile = path;
        }
    }

    public IEnumerable<string> Validate()
    {
        LoadOnce();
        return _problems!.Select(p => $"{SideCarVariables.RelabelConfigFile} {p}");
    }

    private void LoadOnce()
    {
        if (_rules is not null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(ConfigFile))
        {
            _problems = [];
            _rules = RelabelRules.None;
            return;
        }

        try
        {
            _rules = RelabelRules.Load(ConfigFile);
            _problems = [];
        }
        catch (RelabelConfigException e)
        {
            _problems = e.Problems;
            _rules = RelabelRules.None;
        }
    }
}
