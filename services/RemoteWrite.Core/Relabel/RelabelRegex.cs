using System.Text.RegularExpressions;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// A rule's regex as Prometheus compiles it: RE2 syntax, anchored at both ends, dot matching newlines
/// (<c>^(?s:regex)$</c>, model/relabel/relabel.go NewRegexp since Prometheus 3.0; 2.x wrote <c>^(?:regex)$</c>,
/// which differs only for values with a newline). Run by .NET's non-backtracking engine, so matching
/// is linear in the input as RE2 guarantees. The default <c>(.*)</c> is recognised and never run.
/// </summary>
public sealed class RelabelRegex
{
    public const string DefaultPattern = "(.*)";

    private static readonly TimeSpan NoTimeout = Regex.InfiniteMatchTimeout;

    private RelabelRegex(string pattern, Regex regex, IReadOnlyDictionary<string, int> groupNames)
    {
        Pattern = pattern;
        Regex = regex;
        GroupNames = groupNames;
        MatchesEverything = pattern == DefaultPattern;
        GroupCount = regex.GetGroupNumbers().Length;
    }

    public static RelabelRegex Default { get; } = Compile(DefaultPattern);

    /// <summary>The pattern as written in the rule.</summary>
    public string Pattern { get; }

    public Regex Regex { get; }

    /// <summary>RE2's named groups and their numbers (numbered left to right with the unnamed ones).</summary>
    public IReadOnlyDictionary<string, int> GroupNames { get; }

    /// <summary>True for <c>(.*)</c>: every value matches and group 1 is the whole value.</summary>
    public bool MatchesEverything { get; }

    /// <summary>Groups including group 0 (the whole match).</summary>
    public int GroupCount { get; }

    /// <summary>Compiles <paramref name="pattern"/>; throws <see cref="FormatException"/> with the reason when it is not valid RE2.</summary>
    public static RelabelRegex Compile(string pattern)
    {
        var translated = Re2Syntax.ToDotNet(pattern, out var names);
        try
        {
            var regex = new Regex(@"\A(?s:" + translated + @")\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, NoTimeout);
            return new RelabelRegex(pattern, regex, names);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
        catch (NotSupportedException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    public bool IsMatch(ReadOnlySpan<char> value) => MatchesEverything || Regex.IsMatch(value);

    /// <summary>
    /// Matches <paramref name="value"/> and writes each group's (start, length) into <paramref name="groups"/>
    /// (start -1 when the group did not take part); false when it does not match.
    /// </summary>
    public bool TryMatch(ReadOnlySpan<char> value, Span<int> groups)
    {
        groups.Fill(-1);
        if (MatchesEverything)
        {
            SetWhole(groups, 0, value.Length);
            SetWhole(groups, 1, value.Length);
            return true;
        }

        if (!Regex.IsMatch(value))
        {
            return false;
        }

        // Groups need a Match, hence a string: only for values that matched.
        var match = Regex.Match(value.ToString());
        var count = Math.Min(match.Groups.Count, groups.Length / 2);
        for (var g = 0; g < count; g++)
        {
            var group = match.Groups[g];
            if (group.Success)
            {
                groups[2 * g] = group.Index;
                groups[(2 * g) + 1] = group.Length;
            }
        }

        return true;
    }

    private static void SetWhole(Span<int> groups, int group, int length)
    {
        if (groups.Length >= (2 * group) + 2)
        {
            groups[2 * group] = 0;
            groups[(2 * group) + 1] = length;
        }
    }
}
