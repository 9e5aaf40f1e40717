using RemoteWrite.Core.Relabel;

namespace RemoteWrite.Core.Tests.Relabel;

/// <summary>
/// One test or more per action, ported from Prometheus' own cases (prometheus/prometheus
/// model/relabel/relabel_test.go, TestRelabel, at v2.42.0 and at main), written as the YAML a user
/// puts in <c>RELABEL_CONFIG_FILE</c>. Prometheus' harness fills in the defaults the YAML fills in here.
/// </summary>
public sealed class RelabelRulesTests
{
    [Fact]
    public void Replace_expands_braced_groups()
    {
        var result = Run(
            """
            - source_labels: [a]
              regex: f(.*)
              target_label: d
              separator: ";"
              replacement: ch${1}-ch${1}
              action: replace
            """,
            ("a", "foo"), ("b", "bar"), ("c", "baz"));
        Assert.Equal(Labels(("a", "foo"), ("b", "bar"), ("c", "baz"), ("d", "choo-choo")), result);
    }

    [Fact]
    public void Replace_joins_source_labels_and_chains_rules()
    {
        var result = Run(
            """
            - source_labels: [a, b]
              regex: f(.*);(.*)r
              target_label: a
              replacement: b${1}${2}m
            - source_labels: [c, a]
              regex: (b).*b(.*)ba(.*)
              target_label: d
              replacement: $1$2$2$3
            """,
            ("a", "foo"), ("b", "bar"), ("c", "baz"));
        Assert.Equal(Labels(("a", "boobam"), ("b", "bar"), ("c", "baz"), ("d", "boooom")), result);
    }

    [Fact]
    public void Replace_takes_a_group_from_the_middle()
    {
        var result = Run("- {source_labels: [a], regex: '.*(b).*', target_label: d, replacement: $1}", ("a", "abc"));
        Assert.Equal(Labels(("a", "abc"), ("d", "b")), result);
    }

    [Fact]
    public void Replace_does_nothing_without_a_match()
    {
        var result = Run("- {source_labels: [a], regex: f, target_label: b, replacement: bar}", ("a", "boo"));
        Assert.Equal(Labels(("a", "boo")), result);
    }

    [Fact]
    public void Replace_with_an_empty_result_deletes_the_target()
    {
        // main: "Blank replacement should delete the label."
        var result = Run("- {source_labels: [a], regex: '(f).*', target_label: $1, replacement: $2}", ("a", "foo"), ("f", "baz"));
        Assert.Equal(Labels(("a", "foo")), result);
    }

    [Fact]
    public void Replace_builds_the_target_name_from_groups()
    {
        var result = Run("- {source_labels: [a], regex: 'some-([^-]+)-([^,]+)', target_label: '${1}', replacement: '${2}'}", ("a", "some-name-value"));
        Assert.Equal(Labels(("a", "some-name-value"), ("name", "value")), result);
    }

    [Fact]
    public void Replace_with_an_unknown_group_in_the_replacement_sets_nothing()
    {
        var result = Run("- {source_labels: [a], regex: 'some-([^-]+)-([^,]+)', target_label: '${1}', replacement: '${3}'}", ("a", "some-name-value"));
        Assert.Equal(Labels(("a", "some-name-value")), result);
    }

    [Fact]
    public void Replace_with_an_invalid_expanded_target_sets_nothing()
    {
        // main's "invalid target_labels" case: the target expands to "" or to "-0".
        var result = Run(
            """
            - {source_labels: [a], regex: 'some-([^-]+)-([^,]+)', target_label: '${3}', replacement: '${1}'}
            - {source_labels: [a], regex: 'some-([^-]+)(-[^,]+)', target_label: '${2}', replacement: '${1}'}
            """,
            ("a", "some-name-0"));
        Assert.Equal(Labels(("a", "some-name-0")), result);
    }

    [Fact]
    public void Replace_real_life_tags()
    {
        var result = Run(
            """
            - source_labels: [__meta_sd_tags]
              regex: "(?:.+,|^)path:(/[^,]+).*"
              target_label: __metrics_path__
              replacement: "${1}"
            - source_labels: [__meta_sd_tags]
              regex: "(?:.+,|^)job:([^,]+).*"
              target_label: job
              replacement: "${1}"
            - source_labels: [__meta_sd_tags]
              regex: "(?:.+,|^)label:([^=]+)=([^,]+).*"
              target_label: "${1}"
              replacement: "${2}"
            """,
            ("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"));
        Assert.Equal(
            Labels(("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"), ("__metrics_path__", "/secret"), ("job", "some-job"), ("foo", "bar")),
            result);
    }

    [Fact]
    public void Replace_after_labeldrop_sees_the_dropped_label_as_absent()
    {
        // From prometheus/prometheus#12283 (main's case).
        var result = Run(
            """
            - regex: ^__meta_kubernetes_pod_container_port_name$
              action: labeldrop
            - source_labels: [__meta_kubernetes_pod_annotation_XXX_metrics_port]
              regex: (.+)
              target_label: __meta_kubernetes_pod_container_port_name
              replacement: metrics
            - source_labels: [__meta_kubernetes_pod_container_port_name]
              regex: ^metrics$
              action: keep
            """,
            ("__meta_kubernetes_pod_container_port_name", "foo"), ("__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091"));
        Assert.Equal(Labels(("__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091"), ("__meta_kubernetes_pod_container_port_name", "metrics")), result);
    }

    [Fact]
    public void Replace_dot_matches_newline_and_named_groups_expand_both_ways()
    {
        // main: regexes are ^(?s:…)$, and (?<name>…) groups expand as ${name} and $name.
        var result = Run(
            """
            - {source_labels: [a], regex: 'line1.*line2', target_label: d, replacement: 'match${1}'}
            - {source_labels: [a], regex: '(line1).*(?<second>line2)', target_label: 'label1_${1}', replacement: 'val_${second}'}
            - {source_labels: [a], regex: '(line1).*(?<second>line2)', target_label: 'label2_$1', replacement: 'val_$second'}
            """,
            ("a", "line1\nline2"));
        Assert.Equal(Labels(("a", "line1\nline2"), ("d", "match"), ("label1_line1", "val_line2"), ("label2_line1", "val_line2")), result);
    }

    [Fact]
    public void Replace_with_defaults_sets_a_constant_label()
    {
        // BenchmarkRelabel's "static label pair" and conf.good.yml: no source labels, regex (.*), a constant.
        var result = Run("- {target_label: cluster, replacement: dev-us-central-0}", ("__name__", "up"));
        Assert.Equal(Labels(("__name__", "up"), ("cluster", "dev-us-central-0")), result);
    }

    [Fact]
    public void Replace_expands_go_template_edge_cases()
    {
        // Go's Regexp.Expand: $1x is the group named "1x" (empty), $$ is $, a lone $ stays.
        var result = Run("- {source_labels: [a], regex: '(f)(o+)', target_label: t, replacement: '$1x|${1}x|$$1|$|${2}$-'}", ("a", "foo"));
        Assert.Equal("|fx|$1|$|oo$-", result!["t"]);
    }

    [Fact]
    public void Replace_gives_the_same_result_for_repeated_and_for_more_values_than_it_remembers()
    {
        var problems = new List<string>();
        var rules = RelabelRules.Parse("- {source_labels: [a], regex: 'v(\\d+)(x?)', target_label: 'n$2', replacement: '${1}!'}", problems);
        Assert.Empty(problems);
        using var labels = new RelabelLabels();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 5000; i++)
            {
                labels.Clear();
                labels.Add("a", i % 3 == 0 ? $"v{i}x" : i % 3 == 1 ? $"v{i}" : "nomatch");
                Assert.True(rules.Apply(labels));
                var expected = i % 3 == 2 ? -1 : labels.IndexOf(i % 3 == 0 ? "nx" : "n");
                Assert.Equal(i % 3 == 2 ? 1 : 2, labels.Count);
                if (expected >= 0)
                {
                    Assert.Equal($"{i}!", labels.ValueAt(expected).ToString());
                }
            }
        }
    }

    [Fact]
    public void Drop_drops_on_a_match_before_later_rules_run()
    {
        Assert.Null(Run(
            """
            - {source_labels: [a], regex: '.*o.*', action: drop}
            - {source_labels: [a], regex: 'f(.*)', target_label: d, replacement: 'ch$1-ch$1'}
            """,
            ("a", "foo")));
        Assert.Null(Run("- {source_labels: [a], regex: '.*o.*', action: drop}", ("a", "foo"), ("b", "bar")));
    }

    [Fact]
    public void Drop_needs_the_whole_value_to_match()
    {
        Assert.Equal(Labels(("a", "foo")), Run("- {source_labels: [a], regex: no-match, action: drop}", ("a", "foo")));
        Assert.Equal(Labels(("a", "foo")), Run("- {source_labels: [a], regex: 'f|o', action: drop}", ("a", "foo")));
    }

    [Fact]
    public void Keep_drops_what_does_not_match()
    {
        Assert.Null(Run("- {source_labels: [a], regex: no-match, action: keep}", ("a", "foo")));
        Assert.Equal(Labels(("a", "foo")), Run("- {source_labels: [a], regex: 'f.*', action: keep}", ("a", "foo")));
    }

    [Fact]
    public void Keep_on_an_absent_label_sees_the_empty_value()
    {
        Assert.Null(Run("- {source_labels: [missing], regex: '.+', action: keep}", ("a", "foo")));
        Assert.NotNull(Run("- {source_labels: [missing], regex: '', action: keep}", ("a", "foo")));
    }

    [Fact]
    public void HashMod_matches_prometheus_values()
    {
        Assert.Equal("976", Run("- {source_labels: [c], target_label: d, action: hashmod, modulus: 1000}", ("a", "foo"), ("b", "bar"), ("c", "baz"))!["d"]);
        Assert.Equal("734", Run("- {source_labels: [a], target_label: b, action: hashmod, modulus: 1000}", ("a", "foo\nbar"))!["b"]);
    }

    [Fact]
    public void HashMod_uses_the_last_eight_bytes_of_the_md5_big_endian()
    {
        // md5("baz") = 73feffa4b7f6bb68e44cf984c85f6e88: last 8 bytes 0xe44cf984c85f6e88.
        Assert.Equal(670_004UL, RelabelRule.HashMod("baz", 1_000_003));
        Assert.Equal(0xe44cf984c85f6e88UL, RelabelRule.HashMod("baz", ulong.MaxValue));
    }

    [Fact]
    public void LabelMap_copies_matching_labels_under_new_names()
    {
        Assert.Equal(
            Labels(("a", "foo"), ("b1", "bar"), ("b2", "baz"), ("bar_b1", "bar"), ("bar_b2", "baz")),
            Run("- {regex: '(b.*)', replacement: 'bar_${1}', action: labelmap}", ("a", "foo"), ("b1", "bar"), ("b2", "baz")));
        Assert.Equal(
            Labels(("a", "foo"), ("__meta_my_bar", "aaa"), ("__meta_my_baz", "bbb"), ("__meta_other", "ccc"), ("my_bar", "aaa"), ("my_baz", "bbb")),
            Run("- {regex: '__meta_(my.*)', replacement: '${1}', action: labelmap}", ("a", "foo"), ("__meta_my_bar", "aaa"), ("__meta_my_baz", "bbb"), ("__meta_other", "ccc")));
    }

    [Fact]
    public void LabelMap_does_not_create_an_invalid_name()
    {
        // A name starting with a digit is not a legacy label name: not set (Prometheus would set it).
        Assert.Equal(Labels(("x_1a", "v")), Run("- {regex: 'x_(.*)', action: labelmap}", ("x_1a", "v")));
    }

    [Fact]
    public void LabelKeep_keeps_only_matching_names()
    {
        Assert.Equal(Labels(("b1", "bar"), ("b2", "baz")), Run("- {regex: '(b.*)', action: labelkeep}", ("a", "foo"), ("b1", "bar"), ("b2", "baz")));
    }

    [Fact]
    public void LabelDrop_removes_matching_names()
    {
        Assert.Equal(Labels(("a", "foo")), Run("- {regex: '(b.*)', action: labeldrop}", ("a", "foo"), ("b1", "bar"), ("b2", "baz")));
    }

    [Fact]
    public void Uppercase_and_lowercase_set_the_target()
    {
        Assert.Equal(
            Labels(("foo", "bAr123Foo"), ("foo_lowercase", "bar123foo"), ("foo_uppercase", "BAR123FOO")),
            Run(
                """
                - {source_labels: [foo], action: uppercase, target_label: foo_uppercase}
                - {source_labels: [foo], action: lowercase, target_label: foo_lowercase}
                """,
                ("foo", "bAr123Foo")));
    }

    [Fact]
    public void KeepEqual_keeps_when_the_target_equals_the_joined_value()
    {
        (string, string)[] input = [("__tmp_port", "1234"), ("__port1", "1234"), ("__port2", "5678")];
        Assert.Equal(Labels(input), Run("- {source_labels: [__tmp_port], action: keepequal, target_label: __port1}", input));
        Assert.Null(Run("- {source_labels: [__tmp_port], action: keepequal, target_label: __port2}", input));
    }

    [Fact]
    public void DropEqual_drops_when_the_target_equals_the_joined_value()
    {
        (string, string)[] input = [("__tmp_port", "1234"), ("__port1", "1234"), ("__port2", "5678")];
        Assert.Null(Run("- {source_labels: [__tmp_port], action: dropequal, target_label: __port1}", input));
        Assert.Equal(Labels(input), Run("- {source_labels: [__tmp_port], action: dropequal, target_label: __port2}", input));
    }

    [Fact]
    public void Actions_are_case_insensitive_and_the_kubernetes_benchmark_rules_compile()
    {
        // BenchmarkRelabel's "kubernetes" rule list (main), all actions and regex forms Prometheus users write.
        var problems = new List<string>();
        var rules = RelabelRules.Parse(
            """
            - {source_labels: [__meta_kubernetes_pod_container_port_name], regex: .*-metrics, action: KEEP}
            - {source_labels: [__meta_kubernetes_pod_label_name], action: drop, regex: ""}
            - {source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port], target_label: __address__, regex: (.+?)(\:\d+)?;(\d+), replacement: $1:$3, action: replace}
            - {regex: __meta_kubernetes_pod_annotation_prometheus_io_param_(.+), replacement: __param_$1, action: labelmap}
            - {source_labels: [__meta_kubernetes_namespace, __meta_kubernetes_pod_label_name], separator: /, target_label: job, replacement: $1, action: replace}
            - {source_labels: [__address__], target_label: __tmp_hash, modulus: 3, action: hashmod}
            - {source_labels: [__tmp_hash], regex: ^0$, action: keep}
            - {regex: __tmp_hash, action: labeldrop}
            """,
            problems);
        Assert.Empty(problems);
        Assert.Equal(8, rules.Rules.Count);
        Assert.Equal(RelabelAction.Keep, rules.Rules[0].Action);

        using var labels = new RelabelLabels();
        labels.Add("__address__", "10.132.183.40:80");
        labels.Add("__meta_kubernetes_namespace", "loki");
        labels.Add("__meta_kubernetes_pod_container_port_name", "http-metrics");
        labels.Add("__meta_kubernetes_pod_label_name", "promtail");
        labels.Add("__meta_kubernetes_pod_annotation_prometheus_io_port", "3100");
        var kept = rules.Apply(labels);

        // The address rule ran first; md5("10.132.183.40:3100") mod 3 is 0, so the hashmod keep passes.
        Assert.True(kept);
        Assert.Equal("10.132.183.40:3100", labels.Get("__address__").ToString());
        Assert.Equal(-1, labels.IndexOf("__tmp_hash"));
        Assert.Equal("loki/promtail", labels.Get("job").ToString());
    }

    internal static SortedDictionary<string, string>? Run(string yaml, params (string Name, string Value)[] input)
    {
        var problems = new List<string>();
        var rules = RelabelRules.Parse(yaml, problems);
        Assert.Empty(problems);
        using var labels = new RelabelLabels();
        foreach (var (name, value) in input)
        {
            labels.Add(name, value);
        }

        if (!rules.Apply(labels))
        {
            return null;
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            result.Add(labels.NameAt(i).ToString(), labels.ValueAt(i).ToString());
        }

        return result;
    }

    internal static SortedDictionary<string, string> Labels(params (string Name, string Value)[] labels)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in labels)
        {
            result.Add(name, value);
        }

        return result;
    }
}
