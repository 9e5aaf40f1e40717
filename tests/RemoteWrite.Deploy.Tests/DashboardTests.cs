using System.Text.Json;
using RemoteWrite.Deploy.Tests.Infrastructure;

namespace RemoteWrite.Deploy.Tests;

/// <summary>deploy/monitoring/grafana-dashboard.json: importable JSON over metrics the services export.</summary>
public sealed class DashboardTests
{
    private static JsonElement Dashboard() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "monitoring", "grafana-dashboard.json"))).RootElement;

    private static IEnumerable<JsonElement> Panels() =>
        Dashboard().GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row");

    private static IEnumerable<string> Queries() =>
        Panels().SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!);

    [Fact]
    public void Dashboard_is_importable_json_with_a_data_source_input()
    {
        var dashboard = Dashboard();
        Assert.Equal("remotewrite-relay", dashboard.GetProperty("uid").GetString());
        Assert.Equal("DS_PROMETHEUS", dashboard.GetProperty("__inputs")[0].GetProperty("name").GetString());
        Assert.All(Panels(), p => Assert.Equal("${DS_PROMETHEUS}", p.GetProperty("datasource").GetProperty("uid").GetString()));
        // Unique panel ids and no overlapping positions in one row band.
        var ids = Dashboard().GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Every_metric_the_dashboard_queries_is_one_the_services_export()
    {
        var queries = Queries().ToList();
        Assert.NotEmpty(queries);
        foreach (var query in queries)
        {
            var used = MetricCatalog.Referenced(query).ToList();
            Assert.True(used.Count > 0, $"query reads no metric of ours: {query}");
            foreach (var metric in used)
            {
                Assert.True(MetricCatalog.Names.Contains(metric), $"{metric} is not exported by any service ({query})");
            }
        }
    }

    [Fact]
    public void Dashboard_shows_what_the_issue_asks_for()
    {
        var all = string.Join('\n', Queries());
        foreach (var metric in new[]
        {
            "remotewrite_receiver_samples_total", "remotewrite_sender_samples_total", "remotewrite_receiver_dropped_total",
            "remotewrite_sender_requests_total", "remotewrite_sender_duration_seconds_bucket", "remotewrite_identity_token_valid",
            "remotewrite_identity_token_expires_in_seconds", "remotewrite_ingress_published_total", "remotewrite_forwarder_deliveries_total",
        })
        {
            Assert.Contains(metric, all);
        }
    }
}
