using System.Text.RegularExpressions;
using RemoteWrite.Deploy.Tests.Infrastructure;

namespace RemoteWrite.Deploy.Tests;

/// <summary>
/// The naming rules of <see cref="MetricCatalog"/> hold for a running service: the standalone relay,
/// with the local Azure stand-in behind it, forwards one request and is scraped.
/// </summary>
[Slow]
public sealed partial class MetricNamesLiveTests
{
    [Fact]
    public async Task Names_a_running_relay_exports_are_the_ones_read_from_the_code()
    {
        using var stand = await LocalAzureProcess.StartAsync();
        var port = FreePort.Next();
        using var relay = new ServiceProcess("RemoteWrite.Standalone", port, new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = stand.IngestionUrl(RemoteWriteBodies.DefaultDcr),
            ["IDENTITY_TYPE"] = "systemAssigned",
            ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = stand.HttpAddress.ToString().TrimEnd('/'),
            ["LISTENING_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LOG_FORMAT"] = "text",
        });
        relay.Start();
        await relay.WaitUntilAsync("/ready", TimeSpan.FromSeconds(60));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using (var response = await http.SendAsync(RemoteWriteBodies.Post(new Uri(relay.Address, "/api/v1/write"), RemoteWriteBodies.Compress(RemoteWriteBodies.Request(series: 10)))))
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {relay.OutputTail}");
        }

        var text = await http.GetStringAsync(new Uri(relay.Address, "/metrics"));
        // Seconds histograms have sub-second buckets (the dashboard's latency quantiles need them).
        Assert.Matches(@"remotewrite_sender_duration_seconds_bucket\{[^}]*le=""0.01""\}", text);
        var scraped = ScrapedName().Matches(text)
            .Select(m => m.Groups["name"].Value).Where(n => n.StartsWith("remotewrite_", StringComparison.Ordinal)).ToHashSet();
        // Counters, histograms and gauges with units, as the dashboard and the alerts use them.
        foreach (var expected in new[] { "remotewrite_receiver_samples_total", "remotewrite_sender_duration_seconds_bucket", "remotewrite_sender_bytes_total", "remotewrite_identity_token_expires_in_seconds", "remotewrite_identity_token_valid" })
        {
            Assert.Contains(expected, scraped);
        }

        Assert.All(scraped, name => Assert.True(MetricCatalog.Names.Contains(name), $"{name} is exported but not derived from the code"));
    }

    [GeneratedRegex(@"(?m)^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )")]
    private static partial Regex ScrapedName();
}
