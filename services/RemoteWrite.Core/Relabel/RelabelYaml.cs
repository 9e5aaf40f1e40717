using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// Reads a rule file: a YAML list of rules in exactly the shape Prometheus accepts under
/// <c>write_relabel_configs</c> (a document with no content is no rules). Like Prometheus' strict
/// parsing, an unknown key is an error. Each problem is one line naming the rule (1-based, with its
/// line) and the field.
/// </summary>
public static class RelabelYaml
{
    private static readonly string[] Keys = ["source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"];

    public static IReadOnlyList<RelabelConfig> Parse(string text, ICollection<string> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            problems.Add($"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
            return [];
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return [];
        }

        if (stream.Documents.Count > 1)
        {
            problems.Add("holds several YAML documents; write one list of rules");
            return [];
        }

        if (stream.Documents[0].RootNode is not YamlSequenceNode list)
        {
            problems.Add("must be a YAML list of rules (the entries of Prometheus' write_relabel_configs), e.g. \"- action: drop\\n  source_labels: [__name__]\\n  regex: go_.*\"");
            return [];
        }

        var rules = new List<RelabelConfig>();
        var index = 0;
        foreach (var node in list.Children)
        {
            index++;
            var where = $"rule {index} (line {node.Start.Line})";
            if (node is not YamlMappingNode map)
            {
                problems.Add($"{where}: must be a mapping of fields (source_labels, regex, action, …)");
                continue;
            }

            var config = new RelabelConfig { Line = (int)node.Start.Line };
            var ok = true;
            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                if (Array.IndexOf(Keys, key) < 0)
                {
                    problems.Add($"{where}: unknown field \"{key}\" (fields: {string.Join(", ", Keys)})");
                    ok = false;
                    continue;
                }

                if (key == "source_labels")
                {
                    if (SourceLabels(value, where, problems) is { } labels)
                    {
                        config = config with { SourceLabels = labels };
                    }
                    else if (!IsNull(value))
                    {
                        ok = false;
                    }

                    continue;
                }

                if (value is not YamlScalarNode scalar)
                {
                    problems.Add($"{where}: {key} must be a single value");
                    ok = false;
                    continue;
                }

                // A key with no value sets the field to its zero value, as Go's YAML decoding does.
                var text2 = IsNull(scalar) ? "" : scalar.Value ?? "";
                switch (key)
                {
                    case "separator":
                        config = config with { Separator = text2 };
                        break;
                    case "regex":
                        config = config with { Regex = text2 };
                        break;
                    case "target_label":
                        config = config with { TargetLabel = text2 };
                        break;
                    case "replacement":
                        config = config with { Replacement = text2 };
                        break;
                    case "action":
                        config = config with { Action = text2 };
                        break;
                    case "modulus":
                        if (text2.Length == 0)
                        {
                            config = config with { Modulus = 0 };
                        }
                        else if (ulong.TryParse(text2, NumberStyles.None, CultureInfo.InvariantCulture, out var modulus))
                        {
                            config = config with { Modulus = modulus };
                        }
                        else
                        {
                            problems.Add($"{where}: modulus must be a whole number (is \"{text2}\")");
                            ok = false;
                        }

                        break;
                }
            }

            if (ok)
            {
                rules.Add(config);
            }
        }

        return rules;
    }

    private static List<string>? SourceLabels(YamlNode value, string where, ICollection<string> problems)
    {
        if (IsNull(value))
        {
            return null;
        }

        if (value is not YamlSequenceNode sequence)
        {
            problems.Add($"{where}: source_labels must be a list of label names, e.g. [job, instance]");
            return null;
        }

        var labels = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                problems.Add($"{where}: source_labels must hold non-empty label names");
                return null;
            }

            labels.Add(name);
        }

        return labels;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };
}
