using System.Net;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>RELABEL_CONFIG_FILE through the running relay: rules apply before Azure, drops are counted, a bad file stops the start.</summary>
/// <remarks>Alone: exact metric values (OpenTelemetry listens to every meter of a name in the process).</remarks>
[Collection(SerialCollection.Name)]
public sealed class RelabelTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"relabel-{Guid.NewGuid():N}.yaml");

    [Fact]
    public async Task Rules_drop_and_rewrite_series_before_azure_and_the_drops_are_counted()
    {
        File.WriteAllText(_file, """
            - source_labels: [__name__]
              regex: go_.*
              action: drop
            - source_labels: [namespace, pod]
              separator: /
              target_label: workload
              regex: (.*)/(.*)-[0-9a-f]+
              replacement: $1.$2
            - regex: pod
              action: labeldrop
            """);
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["RELABEL_CONFIG_FILE"] = _file });
        using var client = relay.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var body = RemoteWriteBodies.Compress(
            RemoteWriteBodies.Series("go_goroutines", now, 12, ("namespace", "a"), ("pod", "api-1f")),
            RemoteWriteBodies.Series("http_requests_total", now, 3, ("namespace", "shop"), ("pod", "api-7c9")),
            RemoteWriteBodies.Series("go_gc_duration_seconds", now, 0.1, ("namespace", "a")));

        using var response = await client.SendAsync(RemoteWriteBodies.Post(body));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var sent = RemoteWriteBodies.Decode(Assert.Single(relay.Azure.Requests).Body);
        var series = Assert.Single(sent.Timeseries);
        Assert.Equal(
            [("__name__", "http_requests_total"), ("namespace", "shop"), ("workload", "shop.api")],
            series.Labels.Select(l => (l.Name, l.Value)).ToArray());
        Assert.Equal(3, Assert.Single(series.Samples).Value);

        var text = await Poll.UntilAsync(() => client.GetStringAsync("/metrics"), t => t.Contains("reason=\"relabel\""), TimeSpan.FromSeconds(20));
        Assert.Matches(@"remotewrite_receiver_dropped_total\{[^}]*reason=""relabel""[^}]*\} 2\b", text);
        Assert.Matches(@"remotewrite_receiver_samples_total(\{[^}]*\})? 3\b", text);
    }

    [Fact]
    public async Task A_request_whose_series_are_all_dropped_is_answered_204_without_calling_azure()
    {
        File.WriteAllText(_file, "- {source_labels: [__name__], regex: test_metric, action: drop}\n");
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["RELABEL_CONFIG_FILE"] = _file });
        using var client = relay.CreateClient();
        using var response = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(5))));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(relay.Azure.Requests);
    }

    [Fact]
    public async Task An_invalid_rule_file_stops_the_relay_with_one_line_per_problem_and_exit_code_1()
    {
        File.WriteAllText(_file, "- {source_labels: [a], action: drop, regex: '(?!x)'}\n- {action: hashmod, target_label: shard}\n");
        var (exitCode, stdout, error) = await ServiceProcess.RunToExitAsync("RemoteWrite.Standalone", new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = RelayFactory.IngestionUrl,
            ["IDENTITY_TYPE"] = "systemAssigned",
            ["RELABEL_CONFIG_FILE"] = _file,
        }, TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains($"  - RELABEL_CONFIG_FILE {_file}: rule 1 (line 1): regex \"(?!x)\" is not a valid RE2 expression: lookahead and lookbehind", error);
        Assert.Contains($"  - RELABEL_CONFIG_FILE {_file}: rule 2 (line 2): relabel configuration for hashmod requires non-zero modulus", error);
        Assert.DoesNotContain("   at ", error + stdout);
    }

    public void Dispose() => File.Delete(_file);
}
