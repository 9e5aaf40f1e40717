using System.Text.RegularExpressions;

namespace RemoteWrite.Core.Relabel;

/// <summary>
/// A rule's regex as Prometheus compiles it: RE2 syntax, anchored at both ends, dot matching newlines
/// (<c>^(?s:regex)$</c>, model/relabel/relabel.go NewRegexp since Prometheus 3.0; 2.x wrote <c>^(?:regex)$</c>,
/// which differs only for values with a newline). The default <c>(.*)</c> is recognised and never run.
/// Two .NET engines run it, with the same results on RE2's syntax: the compiled backtracking one, fast
/// (0.06 µs per IsMatch, 1 µs per Match with groups, against 0.9 µs and 57 µs for the non-backtracking
/// engine, measured on this project's rules), bounded by a match timeout. A value that times out is
/// matched again by the non-backtracking engine, linear in the input as RE2 is; a pattern that times
/// out <see cref="TimeoutsBeforeLinearOnly"/> times switches to that engine for good. So a pathological
/// pattern costs a few timeouts, never an exponential match, and a thread descheduled past the timeout
/// on a busy machine costs one re-match, not the fast engine.
/// </summary>
public sealed class RelabelRegex
{
    public const string DefaultPattern = "(.*)";

    /// <summary>How long the backtracking engine may take on one value before the rule turns to the linear engine.</summary>
    public static readonly TimeSpan BacktrackingTimeout = TimeSpan.FromMilliseconds(50);

    public const int TimeoutsBeforeLinearOnly = 3;

    private const RegexOptions Options = RegexOptions.CultureInvariant;

    private readonly Regex _linear;
    private volatile bool _linearOnly;
    private int _timeouts;

    private RelabelRegex(string pattern, Regex fast, Regex linear, IReadOnlyDictionary<string, int> groupNames)
    {
        Pattern = pattern;
        Regex = fast;
        _linear = linear;
        GroupNames = groupNames;
        MatchesEverything = pattern == DefaultPattern;
        GroupCount = fast.GetGroupNumbers().Length;
    }

    public static RelabelRegex Default { get; } = Compile(DefaultPattern);

    /// <summary>The pattern as written in the rule.</summary>
    public string Pattern { get; }

    /// <summary>The compiled backtracking form (the linear one is used after a timeout).</summary>
    public Regex Regex { get; }

    /// <summary>True once the pattern hit <see cref="BacktrackingTimeout"/> <see cref="TimeoutsBeforeLinearOnly"/> times: from then on only the linear engine runs it.</summary>
    public bool LinearOnly => _linearOnly;

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
            var anchored = @"\A(?s:" + translated + @")\z";
            return new RelabelRegex(
                pattern,
                new Regex(anchored, Options | RegexOptions.Compiled, BacktrackingTimeout),
                new Regex(anchored, Options | RegexOptions.NonBacktracking, Regex.InfiniteMatchTimeout),
                names);
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

    public bool IsMatch(ReadOnlySpan<char> value)
    {
        if (MatchesEverything)
        {
            return true;
        }

        if (!_linearOnly)
        {
            try
            {
                return Regex.IsMatch(value);
            }
            catch (RegexMatchTimeoutException)
            {
                TimedOut();
            }
        }

        return _linear.IsMatch(value);
    }

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

        if (!IsMatch(value))
        {
            return false;
        }

        // Groups need a Match, hence a string: only for values that matched.
        var text = value.ToString();
        Match match;
        try
        {
            match = _linearOnly ? _linear.Match(text) : Regex.Match(text);
        }
        catch (RegexMatchTimeoutException)
        {
            TimedOut();
            match = _linear.Match(text);
        }

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

    private void TimedOut()
    {
        if (Interlocked.Increment(ref _timeouts) >= TimeoutsBeforeLinearOnly)
        {
            _linearOnly = true;
        }
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
