using RemoteWrite.Core.Relabel;

namespace RemoteWrite.Core.Tests.Relabel;

/// <summary>RE2 semantics on .NET's non-backtracking engine: where the dialects differ, RE2 (Go's regexp/syntax) wins.</summary>
public sealed class RelabelRegexTests
{
    [Theory]
    [InlineData("go_.*", "go_goroutines", true)]
    [InlineData("go_.*", "xgo_goroutines", false)] // anchored at the start
    [InlineData("go", "go_goroutines", false)] // and at the end
    [InlineData("a|b", "ab", false)] // the alternation as a whole is anchored
    [InlineData("foo$", "foo\n", false)] // RE2's $ is the end of text; .NET's would match before a final newline
    [InlineData("foo", "foo\n", false)]
    [InlineData("a.b", "a\nb", true)] // dot matches newline (Prometheus 3: ^(?s:…)$)
    [InlineData(@"\d+", "123", true)]
    [InlineData(@"\d+", "١٢٣", false)] // RE2's \d is ASCII only
    [InlineData(@"\w+", "é", false)] // and \w
    [InlineData(@"\s", "\u00A0", false)] // and \s
    [InlineData(@"[\d]+x", "12x", true)]
    [InlineData(@"[^\D]+", "42", true)]
    [InlineData(@"[\W]", "é", true)]
    [InlineData("[[:alpha:]]+[[:digit:]]", "abc1", true)]
    [InlineData("[[:upper:]]", "a", false)]
    [InlineData(@"\Qa.b*\E", "a.b*", true)]
    [InlineData(@"\Qa.b*\E", "axbb", false)]
    [InlineData(@"\x{41}\x42", "AB", true)]
    [InlineData(@"\101", "A", true)] // octal
    [InlineData(@"\pL+", "ab", true)]
    [InlineData("(?i)GO_.*", "go_x", true)]
    [InlineData("a{2}", "aa", true)]
    [InlineData("a{,2}", "a{,2}", true)] // not a repetition in RE2: literal
    [InlineData("[]a]+", "]a", true)]
    [InlineData("[[a]+", "a[", true)] // "[" inside a class is a literal
    [InlineData("(?m)^a$", "a", true)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    public void Matches_as_re2(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, RelabelRegex.Compile(pattern).IsMatch(value));
    }

    [Theory]
    [InlineData("(?=a)", "lookahead")]
    [InlineData("(?!a)", "lookahead")]
    [InlineData("(?<=a)b", "lookbehind")]
    [InlineData("(?<!a)b", "lookbehind")]
    [InlineData("(?>a)", "atomic")]
    [InlineData(@"(a)\1", "backreference")]
    [InlineData(@"\k<x>", "escape \\k")]
    [InlineData(@"a\Z", "escape \\Z")]
    [InlineData(@"\G", "escape \\G")]
    [InlineData("(?U)a*", "ungreedy")]
    [InlineData("(?x) a", "unsupported group syntax")]
    [InlineData("a{1001}", "repeat count")]
    [InlineData("(?P<n>a)(?P<n>b)", "duplicate group name")]
    [InlineData("[[:^alpha:]]", "negated POSIX")]
    [InlineData("(?#c)", "comments")]
    public void Refuses_what_re2_lacks(string pattern, string expected)
    {
        var e = Assert.Throws<FormatException>(() => RelabelRegex.Compile(pattern));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Named_groups_are_numbered_left_to_right_as_in_re2()
    {
        // .NET numbers named groups after unnamed ones; RE2 by position.
        var result = RelabelRulesTests.Run("- {source_labels: [a], regex: '(?P<first>x)(y)(?<third>z)', target_label: t, replacement: '$1$2$3-${first}${third}'}", ("a", "xyz"));
        Assert.Equal("xyz-xz", result!["t"]);
    }

    [Fact]
    public void Lazy_and_optional_groups_capture_as_re2()
    {
        // Prometheus' Kubernetes example: (.+?)(\:\d+)?;(\d+) → $1:$3.
        var result = RelabelRulesTests.Run(@"- {source_labels: [a, b], regex: '(.+?)(\:\d+)?;(\d+)', target_label: t, replacement: '$1:$3'}", ("a", "10.0.0.1:80"), ("b", "9100"));
        Assert.Equal("10.0.0.1:9100", result!["t"]);
    }

    [Theory]
    [InlineData("(x+x+)+y")]
    [InlineData("(a|aa)+b")]
    public void A_pattern_that_makes_backtracking_explode_turns_linear_after_a_few_timeouts(string pattern)
    {
        // Exponential for a backtracking engine on "xxxx…" without the final letter; RE2 is linear.
        var regex = RelabelRegex.Compile(pattern);
        var value = new string(pattern[1], 40);
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < RelabelRegex.TimeoutsBeforeLinearOnly; i++)
        {
            Assert.False(regex.IsMatch(value));
        }

        Assert.True(regex.LinearOnly);
        Assert.False(regex.IsMatch(value + value));
        Assert.True(regex.IsMatch(value[..2] + pattern[^1])); // "xxy", "aab"
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), started.Elapsed.ToString());
    }
}
