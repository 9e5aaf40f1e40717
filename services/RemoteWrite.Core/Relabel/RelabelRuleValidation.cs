using System.Text.RegularExpressions;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// Prometheus' checks of one rule at load (model/relabel/relabel.go <c>Validate</c> with legacy label
/// names), with its messages, plus the regex's: the defaults applied, then the first problem of the
/// rule's fields reported (as Prometheus stops at the first), and the regex's own problem.
/// </summary>
internal static class RelabelRuleValidation
{
    public const string DefaultSeparator = ";";
    public const string DefaultReplacement = "$1";

    // relabel.go relabelTargetLegacy: a legacy name in which ${x} and $x may stand for characters.
    private static readonly Regex TargetWithVariables = new(@"^(?:(?:[a-zA-Z_]|\$(?:\{[a-zA-Z0-9_]+\}|[a-zA-Z0-9_]+))+[a-zA-Z0-9_]*)+$", RegexOptions.CultureInvariant);

    public static RelabelRule? Compile(RelabelConfig config, Action<string> report)
    {
        RelabelRegex? regex = null;
        try
        {
            regex = config.Regex is null ? RelabelRegex.Default : RelabelRegex.Compile(config.Regex);
        }
        catch (FormatException e)
        {
            report($"regex \"{config.Regex}\" is not a valid RE2 expression: {e.Message}");
        }

        RelabelAction action = RelabelAction.Replace;
        if (config.Action is not null)
        {
            if (config.Action.Length == 0)
            {
                report("relabel action cannot be empty");
                return null;
            }

            if (!RelabelActionNames.TryParse(config.Action, out action))
            {
                report($"unknown relabel action \"{config.Action}\" (one of {string.Join(", ", Enum.GetValues<RelabelAction>().Select(a => a.ToName()))})");
                return null;
            }
        }

        var target = config.TargetLabel ?? "";
        var replacement = config.Replacement ?? DefaultReplacement;
        var separator = config.Separator ?? DefaultSeparator;
        var modulus = config.Modulus ?? 0;
        var name = action.ToName();

        string? problem = null;
        if (modulus == 0 && action == RelabelAction.HashMod)
        {
            problem = "relabel configuration for hashmod requires non-zero modulus";
        }
        else if (action is RelabelAction.Replace or RelabelAction.HashMod or RelabelAction.Lowercase or RelabelAction.Uppercase or RelabelAction.KeepEqual or RelabelAction.DropEqual && target.Length == 0)
        {
            problem = $"relabel configuration for {name} action requires 'target_label' value";
        }
        else if (action == RelabelAction.Replace && !(target.Contains('$') ? TargetWithVariables.IsMatch(target) : RelabelRules.IsValidLabelName(target)))
        {
            problem = $"\"{target}\" is invalid 'target_label' for {name} action";
        }
        else if (action is RelabelAction.Lowercase or RelabelAction.Uppercase or RelabelAction.KeepEqual or RelabelAction.DropEqual or RelabelAction.HashMod && !RelabelRules.IsValidLabelName(target))
        {
            problem = $"\"{target}\" is invalid 'target_label' for {name} action";
        }
        else if (action is RelabelAction.Lowercase or RelabelAction.Uppercase or RelabelAction.KeepEqual or RelabelAction.DropEqual && replacement != DefaultReplacement)
        {
            problem = $"'replacement' can not be set for {name} action";
        }
        else if (action == RelabelAction.LabelMap && !TargetWithVariables.IsMatch(replacement))
        {
            problem = $"\"{replacement}\" is invalid 'replacement' for {name} action";
        }
        else if (action is RelabelAction.KeepEqual or RelabelAction.DropEqual
                 && (config.Regex is not null || modulus != 0 || separator != DefaultSeparator || replacement != DefaultReplacement))
        {
            problem = $"{name} action requires only 'source_labels' and `target_label`, and no other fields";
        }
        else if (action is RelabelAction.LabelDrop or RelabelAction.LabelKeep
                 && (config.SourceLabels is not null || target.Length != 0 || modulus != 0 || separator != DefaultSeparator || replacement != DefaultReplacement))
        {
            problem = $"{name} action requires only 'regex', and no other fields";
        }

        if (problem is not null)
        {
            report(problem);
            return null;
        }

        return regex is null ? null : new RelabelRule(action, [.. config.SourceLabels ?? []], separator, regex, modulus, target, replacement);
    }
}
