using System.Globalization;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// A <c>replacement</c> or <c>target_label</c> with Go's <c>Regexp.Expand</c> rules, parsed once:
/// <c>$name</c> or <c>${name}</c>, where name is letters, digits and <c>_</c> taken as long as possible
/// (<c>$1x</c> is group "1x", not group 1 then "x"); a number without a leading zero is a group number,
/// anything else a group name; an unknown or unmatched group expands to nothing; <c>$$</c> is <c>$</c>;
/// a <c>$</c> not followed by a name is kept as text.
/// </summary>
public sealed class RelabelTemplate
{
    // Each part: literal text, or a group number (-1: a group the regex lacks, which expands to nothing).
    private readonly (string? Text, int Group)[] _parts;

    private RelabelTemplate(string source, (string? Text, int Group)[] parts)
    {
        Source = source;
        _parts = parts;
    }

    public string Source { get; }

    public bool HasVariables => Source.Contains('$', StringComparison.Ordinal);

    public static RelabelTemplate Parse(string template, RelabelRegex regex)
    {
        var parts = new List<(string?, int)>();
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var dollar = template.IndexOf('$', i);
            if (dollar < 0)
            {
                literal.Append(template, i, template.Length - i);
                break;
            }

            literal.Append(template, i, dollar - i);
            i = dollar + 1;
            if (i < template.Length && template[i] == '$')
            {
                literal.Append('$');
                i++;
                continue;
            }

            if (!TryExtract(template, i, out var name, out var next))
            {
                // Malformed: Go keeps the '$' as text.
                literal.Append('$');
                continue;
            }

            i = next;
            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), 0));
                literal.Clear();
            }

            parts.Add((null, GroupOf(name, regex)));
        }

        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), 0));
        }

        return new RelabelTemplate(template, [.. parts]);
    }

    /// <summary>Appends the expansion to <paramref name="output"/> at <paramref name="length"/>; returns the new length.</summary>
    public int Expand(ReadOnlySpan<char> source, ReadOnlySpan<int> groups, ref char[] output, int length)
    {
        foreach (var (text, group) in _parts)
        {
            ReadOnlySpan<char> piece = text is not null
                ? text
                : group >= 0 && (2 * group) + 1 < groups.Length && groups[2 * group] >= 0
                    ? source.Slice(groups[2 * group], groups[(2 * group) + 1])
                    : default;
            CharBuffers.Append(ref output, ref length, piece);
        }

        return length;
    }

    // Go's regexp.extract: name = longest run of letters, digits and '_'; braces must close.
    private static bool TryExtract(string template, int i, out string name, out int next)
    {
        name = "";
        next = i;
        var brace = i < template.Length && template[i] == '{';
        var start = brace ? i + 1 : i;
        var end = start;
        while (end < template.Length)
        {
            var rune = System.Text.Rune.GetRuneAt(template, end);
            if (!System.Text.Rune.IsLetter(rune) && !System.Text.Rune.IsDigit(rune) && rune.Value != '_')
            {
                break;
            }

            end += rune.Utf16SequenceLength;
        }

        if (end == start)
        {
            return false;
        }

        if (brace)
        {
            if (end >= template.Length || template[end] != '}')
            {
                return false;
            }

            next = end + 1;
        }
        else
        {
            next = end;
        }

        name = template[start..end];
        return true;
    }

    private static int GroupOf(string name, RelabelRegex regex)
    {
        // A number (no leading zero, below 1e8 as in Go) is a group index; anything else a name.
        if ((name.Length == 1 || name[0] != '0') && name.Length <= 8 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number < regex.GroupCount ? number : -1;
        }

        return regex.GroupNames.TryGetValue(name, out var index) ? index : -1;
    }
}
