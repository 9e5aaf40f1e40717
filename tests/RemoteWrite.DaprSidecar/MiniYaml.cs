using System.Text.RegularExpressions;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// Reads the YAML subset our Dapr files use (block maps, block lists of scalars or maps, quoted
/// scalars, inline lists like <c>["GET"]</c>, comments) into dictionaries, lists and strings.
/// Enough to check the files against code without a YAML package.
/// </summary>
public static partial class MiniYaml
{
    public static object? Parse(string text)
    {
        var lines = text.Split('\n')
            .Select(l => StripComment(l).TrimEnd())
            .Where(l => l.Trim().Length > 0 && l.Trim() != "---")
            .ToList();
        var index = 0;
        return ParseBlock(lines, ref index, Indent(lines[0]));
    }

    public static object? ParseFile(string path) => Parse(File.ReadAllText(path));

    /// <summary>Follows a path of map keys and list indexes, e.g. <c>"metadata", "name"</c>.</summary>
    public static object? At(object? node, params object[] path)
    {
        foreach (var step in path)
        {
            node = (node, step) switch
            {
                (Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key),
                (List<object?> list, int i) => i < list.Count ? list[i] : null,
                _ => null,
            };
        }

        return node;
    }

    private static object? ParseBlock(List<string> lines, ref int index, int indent)
    {
        if (lines[index].Trim().StartsWith("- ", StringComparison.Ordinal) || lines[index].Trim() == "-")
        {
            var list = new List<object?>();
            while (index < lines.Count && Indent(lines[index]) == indent && lines[index].TrimStart().StartsWith('-'))
            {
                var item = lines[index].TrimStart()[1..].TrimStart();
                if (item.Length == 0)
                {
                    index++;
                    list.Add(ParseBlock(lines, ref index, Indent(lines[index])));
                }
                else if (KeyValue().Match(item) is { Success: true })
                {
                    // "- key: value" starts a map whose other keys are indented to the key's column.
                    lines[index] = new string(' ', indent + 2) + item;
                    list.Add(ParseBlock(lines, ref index, indent + 2));
                }
                else
                {
                    list.Add(Scalar(item));
                    index++;
                }
            }

            return list;
        }

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (index < lines.Count && Indent(lines[index]) == indent)
        {
            var match = KeyValue().Match(lines[index].Trim());
            if (!match.Success)
            {
                throw new FormatException($"Not a key/value line: '{lines[index]}'");
            }

            var key = Unquote(match.Groups[1].Value);
            var value = match.Groups[2].Value.Trim();
            index++;
            if (value.Length > 0)
            {
                map[key] = Scalar(value);
            }
            else if (index < lines.Count && (Indent(lines[index]) > indent || (Indent(lines[index]) == indent && lines[index].TrimStart().StartsWith('-'))))
            {
                map[key] = ParseBlock(lines, ref index, Indent(lines[index]));
            }
            else
            {
                map[key] = null;
            }
        }

        return map;
    }

    private static object? Scalar(string value)
    {
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            return value[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => (object?)Unquote(v.Trim())).ToList();
        }

        if (value is "[]")
        {
            return new List<object?>();
        }

        return Unquote(value);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && ((value[0] == '"' && value[^1] == '"') || (value[0] == '\'' && value[^1] == '\'')) ? value[1..^1] : value;

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static string StripComment(string line)
    {
        var inQuote = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                inQuote = !inQuote;
            }
            else if (line[i] == '#' && !inQuote && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }

    [GeneratedRegex(@"^(""[^""]*""|'[^']*'|[^:\s][^:]*?):(?:\s+(.*)|)$")]
    private static partial Regex KeyValue();
}
