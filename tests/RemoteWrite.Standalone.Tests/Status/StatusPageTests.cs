using System.Net;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Status;

/// <summary>The status page at <c>/</c> and the volume figures in <c>/metrics</c>, through the running relay (TestServer).</summary>
public sealed class StatusPageTests
{
    private const long Minute = 60_000;

    [Fact]
    public async Task Shows_the_figures_the_writes_caused_with_Azure_reason_encoded()
    {
        using var relay = new RelayFactory();
        using var client = relay.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // 30 accepted samples, 2 dropped over the label limit, then a 403 whose reason holds markup.
        using (var accepted = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 10, samplesPerSeries: 3)))))
        {
            Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        }

        var tooMany = Enumerable.Range(0, 70).Select(i => ($"l{i:D2}", "v")).ToArray();
        using (var dropped = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(
            RemoteWriteBodies.Series("wide", now, 1, tooMany), RemoteWriteBodies.Series("wide2", now - Minute, 2, tooMany)))))
        {
            Assert.Equal(HttpStatusCode.NoContent, dropped.StatusCode);
        }

        // Twice: the sink fetches a fresh token after a 403 and tries once more.
        const string refusal = """{"error":{"code":"OperationFailed","message":"no access <script>alert(1)</script> to dcr-0123"}}""";
        relay.Azure.Then(HttpStatusCode.Forbidden, refusal).Then(HttpStatusCode.Forbidden, refusal);
        using (var refused = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(RemoteWriteBodies.Series("up", now, 1)))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        using var page = await client.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\">", html);
        Assert.Contains("id=\"in-total\">33<", html);
        Assert.Contains("id=\"out-total\">30<", html);
        Assert.Contains("id=\"drop-label_limit\">2<", html);
        Assert.Contains(WebUtility.HtmlEncode(RelayFactory.IngestionUrl), html);
        Assert.Contains("OperationFailed: no access &lt;script&gt;alert(1)&lt;/script&gt; to dcr-0123", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("<b>403</b>", html);
        Assert.Contains("id=\"token-state\"><span class=\"ok\">held</span>", html);
        Assert.DoesNotContain("token-1", html); // the fake token's text is never shown
        Assert.Contains("30 (0%)", html); // events in the last minute against 1,000,000
    }

    [Fact]
    public async Task Truncate_mode_keeps_the_series_with_the_value_cut_and_counts_it()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["RemoteWrite:OverLimitLabels"] = "truncate" });
        using var client = relay.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(
            RemoteWriteBodies.Series("long", now, 1, ("v", new string('x', 2000))))));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var sent = RemoteWriteBodies.Decode(Assert.Single(relay.Azure.Requests).Body);
        Assert.Equal(1023, Assert.Single(sent.Timeseries).Labels.Single(l => l.Name == "v").Value.Length);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("\nremotewrite_receiver_truncated_total{otel_scope_name=\"RemoteWrite.Receiver\",reason=\"label_value_length\"} 1\n", metrics);
        Assert.Contains("id=\"truncated\">1<", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task Metrics_show_volume_against_the_limits_and_case_collisions()
    {
        using var relay = new RelayFactory(new Dictionary<string, string?> { ["WorkspaceLimits:ActiveSeries"] = "5000" });
        using var client = relay.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        using var response = await client.SendAsync(RemoteWriteBodies.Post(RemoteWriteBodies.Compress(
            RemoteWriteBodies.Series("http_requests", now, 1, ("method", "GET")),
            RemoteWriteBodies.Series("http_requests", now, 1, ("method", "get")),
            RemoteWriteBodies.Series("http_requests", now, 1, ("method", "post")))));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        // Exact lines: the exporter also sees the instruments of relays other test classes run at the same time.
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("\nremotewrite_case_collisions_total{otel_scope_name=\"RemoteWrite.Status\"} 1\n", metrics);
        Assert.Contains("\nremotewrite_destination_events_per_minute{otel_scope_name=\"RemoteWrite.Status\",destination=\"default\"} 3\n", metrics);
        Assert.Contains("\nremotewrite_destination_active_series{otel_scope_name=\"RemoteWrite.Status\",destination=\"default\"} 3\n", metrics);
        Assert.Contains("\nremotewrite_destination_active_series_limit{otel_scope_name=\"RemoteWrite.Status\",destination=\"default\"} 5000\n", metrics);
        Assert.Contains("\nremotewrite_destination_events_per_minute_limit{otel_scope_name=\"RemoteWrite.Status\",destination=\"default\"} 1000000\n", metrics);
        Assert.Contains("id=\"case-collisions\">1<", await client.GetStringAsync("/"));
    }
}
