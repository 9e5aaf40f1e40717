using RemoteWrite.Core.Relabel;

namespace RemoteWrite.Core.Tests.Relabel;

/// <summary>
/// Loading and validating rule files: Prometheus' own messages (model/relabel/relabel.go Validate;
/// the cases of relabel_test.go TestRelabelValidate and config/testdata/*.bad.yml), each naming the
/// rule and its line, every problem of a file at once.
/// </summary>
public sealed class RelabelConfigTests
{
    [Theory]
    [InlineData("- {source_labels: [a], action: ''}", "relabel action cannot be empty")]
    [InlineData("- {source_labels: [a], action: explode}", "unknown relabel action \"explode\"")]
    [InlineData("- {source_labels: [a]}", "relabel configuration for replace action requires 'target_label' value")]
    [InlineData("- {source_labels: [a], action: lowercase}", "relabel configuration for lowercase action requires 'target_label' value")]
    [InlineData("- {source_labels: [a], action: hashmod, target_label: t}", "relabel configuration for hashmod requires non-zero modulus")]
    [InlineData("- {source_labels: [a], action: hashmod, target_label: 'a-b', modulus: 2}", "\"a-b\" is invalid 'target_label' for hashmod action")]
    [InlineData("- {source_labels: [a], target_label: '-label'}", "\"-label\" is invalid 'target_label' for replace action")]
    [InlineData("- {source_labels: [a], target_label: 'foo${'}", "\"foo${\" is invalid 'target_label' for replace action")]
    [InlineData("- {source_labels: [a], action: uppercase, target_label: '${3}'}", "\"${3}\" is invalid 'target_label' for uppercase action")]
    [InlineData("- {source_labels: [a], action: lowercase, target_label: t, replacement: x}", "'replacement' can not be set for lowercase action")]
    [InlineData("- {regex: 'a(.*)', action: labelmap, replacement: '-$1'}", "\"-$1\" is invalid 'replacement' for labelmap action")]
    [InlineData("- {source_labels: [a], action: keepequal, target_label: t, regex: '(.*)'}", "keepequal action requires only 'source_labels' and `target_label`, and no other fields")]
    [InlineData("- {source_labels: [a], action: dropequal, target_label: t, separator: ','}", "dropequal action requires only 'source_labels' and `target_label`, and no other fields")]
    [InlineData("- {source_labels: [a], action: labeldrop, regex: a}", "labeldrop action requires only 'regex', and no other fields")]
    [InlineData("- {action: labelkeep, regex: a, target_label: b}", "labelkeep action requires only 'regex', and no other fields")]
    [InlineData("- {source_labels: [a], action: drop, regex: '(a'}", "regex \"(a\" is not a valid RE2 expression")]
    [InlineData("- {source_labels: [a], action: drop, regex: '(?=a)b'}", "lookahead and lookbehind")]
    [InlineData("- {source_labels: [a], action: drop, regex: '(a)\\1'}", "backreference \\1 is not RE2 syntax")]
    [InlineData("- {source_labels: [a], action: drop, modulus: x}", "modulus must be a whole number")]
    [InlineData("- {source_labels: a, action: drop}", "source_labels must be a list of label names")]
    [InlineData("- {source_labels: [a], action: drop, regexp: a}", "unknown field \"regexp\"")]
    [InlineData("action: drop", "must be a YAML list of rules")]
    [InlineData("- just text", "must be a mapping of fields")]
    [InlineData("- {action: drop, source_labels: [a]\n", "not valid YAML at line")]
    public void A_bad_rule_is_one_line_naming_the_problem(string yaml, string expected)
    {
        var problems = new List<string>();
        var rules = RelabelRules.Parse(yaml, problems);
        var problem = Assert.Single(problems);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.True(rules.IsEmpty);
    }

    [Fact]
    public void Every_problem_names_its_rule_and_line()
    {
        var problems = new List<string>();
        RelabelRules.Parse(
            """
            - source_labels: [__name__]
              regex: go_.*
              action: drop
            - source_labels: [job]
              action: hashmod
              target_label: shard
            - action: keepequal
              target_label: x
              replacement: y
            """,
            problems);
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("rule 2 (line 4): relabel configuration for hashmod requires non-zero modulus", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("rule 3 (line 7): 'replacement' can not be set for keepequal action", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_prometheus_defaults()
    {
        var problems = new List<string>();
        var rule = Assert.Single(RelabelRules.Parse("- target_label: t", problems).Rules);
        Assert.Empty(problems);
        Assert.Equal(RelabelAction.Replace, rule.Action);
        Assert.Equal(";", rule.Separator);
        Assert.Equal("(.*)", rule.Regex.Pattern);
        Assert.Equal("$1", rule.Replacement);
        Assert.Empty(rule.SourceLabels);
    }

    [Fact]
    public void Explicit_empty_separator_and_replacement_are_kept()
    {
        var problems = new List<string>();
        var rule = Assert.Single(RelabelRules.Parse("- {source_labels: [a, b], separator: '', target_label: t, replacement: ''}", problems).Rules);
        Assert.Empty(problems);
        Assert.Equal("", rule.Separator);
        Assert.Equal("", rule.Replacement);
    }

    [Fact]
    public void A_regex_key_without_value_is_the_empty_pattern()
    {
        // As Prometheus' BenchmarkRelabel "example" (from config/testdata/conf.good.yml): regex: (null) matches only "".
        var result = RelabelRulesTests.Run("- {regex: , replacement: static, target_label: abc}", ("abc", "def"));
        Assert.Equal("static", result!["abc"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# no rules yet\n")]
    [InlineData("[]")]
    public void An_empty_file_is_no_rules(string yaml)
    {
        var problems = new List<string>();
        Assert.True(RelabelRules.Parse(yaml, problems).IsEmpty);
        Assert.Empty(problems);
    }

    [Fact]
    public void Load_reports_an_unreadable_file_with_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"relabel-missing-{Guid.NewGuid():N}.yaml");
        var e = Assert.Throws<RelabelConfigException>(() => RelabelRules.Load(path));
        Assert.StartsWith($"{path}: cannot be read", Assert.Single(e.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_prefixes_each_problem_with_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"relabel-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "- {action: drop, regex: '(?<=a)'}\n- {action: nope}\n");
        try
        {
            var e = Assert.Throws<RelabelConfigException>(() => RelabelRules.Load(path));
            Assert.Equal(2, e.Problems.Count);
            Assert.All(e.Problems, p => Assert.StartsWith(path + ": rule ", p, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Options_report_problems_under_the_variable_name_and_load_no_rules()
    {
        var path = Path.Combine(Path.GetTempPath(), $"relabel-opt-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "- {action: drop}\n- {action: hashmod, target_label: s}\n");
        try
        {
            var options = new RelabelOptions { ConfigFile = path };
            var problem = Assert.Single(options.Validate());
            Assert.StartsWith($"RELABEL_CONFIG_FILE {path}: rule 2 (line 2): relabel configuration for hashmod requires non-zero modulus", problem, StringComparison.Ordinal);
            Assert.True(options.Rules.IsEmpty);

            File.WriteAllText(path, "- {action: drop, source_labels: [__name__], regex: go_.*}\n");
            var good = new RelabelOptions { ConfigFile = path };
            Assert.Empty(good.Validate());
            Assert.Single(good.Rules.Rules);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void No_file_is_no_rules()
    {
        var options = new RelabelOptions();
        Assert.Empty(options.Validate());
        Assert.Same(RelabelRules.None, options.Rules);
    }
}
