using RemoteWrite.Deploy.Tests.Infrastructure;

namespace RemoteWrite.Deploy.Tests;

/// <summary>deploy/monitoring/alerts.yml: valid for promtool, equal to the PrometheusRule, over real metric names.</summary>
public sealed class AlertRulesTests
{
    private static readonly string RulesFile = Path.Combine(RepoPaths.Root, "deploy", "monitoring", "alerts.yml");

    private static List<object?> Rules() =>
        Yaml.List(Yaml.File("deploy", "monitoring", "alerts.yml"), "groups").SelectMany(g => Yaml.List(g, "rules")).ToList();

    [RequiresToolsFact(Tool.Promtool)]
    public async Task Rules_pass_promtool_check_rules()
    {
        var result = await Command.RunAsync(Tool.Promtool, ["check", "rules", RulesFile]);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("SUCCESS", result.Output);
    }

    [RequiresToolsFact(Tool.Promtool)]
    public async Task Alerts_fire_on_the_series_that_should_trigger_them()
    {
        var result = await Command.RunAsync(Tool.Promtool, ["test", "rules", Path.Combine(RepoPaths.Root, "deploy", "monitoring", "alerts.test.yml")]);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void PrometheusRule_holds_the_same_groups_as_the_rules_file()
    {
        var rule = Yaml.File("deploy", "monitoring", "prometheusrule.yaml");
        Assert.Equal("PrometheusRule", Yaml.Str(rule, "kind"));
        Assert.Equal(Yaml.Canonical(Yaml.At(Yaml.File("deploy", "monitoring", "alerts.yml"), "groups")), Yaml.Canonical(Yaml.At(rule, "spec", "groups")));
    }

    [Fact]
    public void The_issue_s_alerts_exist()
    {
        var names = Rules().Select(r => Yaml.Str(r, "alert")).ToList();
        foreach (var alert in new[] { "RemoteWriteSamplesDropped", "RemoteWriteTokenRefreshFailing", "RemoteWriteAzureClientErrors", "RemoteWriteAzureServerErrors", "RemoteWriteForwarderLagGrowing", "RemoteWriteRelayNotReady" })
        {
            Assert.Contains(alert, names);
        }
    }

    [Fact]
    public void Every_metric_an_alert_reads_is_one_the_services_export()
    {
        foreach (var rule in Rules())
        {
            var expr = Yaml.Str(rule, "expr")!;
            var used = MetricCatalog.Referenced(expr).ToList();
            Assert.True(used.Count > 0 || expr.Contains("up{", StringComparison.Ordinal), $"{Yaml.Str(rule, "alert")} reads no metric of ours");
            foreach (var metric in used)
            {
                Assert.True(MetricCatalog.Names.Contains(metric), $"{Yaml.Str(rule, "alert")}: {metric} is not exported by any service");
            }
        }
    }
}
