using RemoteWrite.Core.Destinations;
using RemoteWrite.Core.Identity;

namespace RemoteWrite.Core.Tests.Destinations;

public sealed class DestinationSettingsTests
{
    private static (DestinationsOptions Options, List<string> Problems) Read(string yaml)
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, yaml);
        try
        {
            var options = new DestinationsOptions { File = file };
            return (options, [.. options.Validate()]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_full_file_reads_into_destinations_with_their_identity_endpoints_and_routes()
    {
        var (options, problems) = Read("""
            default_destination: platform
            destinations:
              - name: team-a
                endpoints:
                  - https://dce-1.westeurope-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-a/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24
                  - https://dce-2.westeurope-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-a2/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24
                balance: least-load
                max_requests_per_minute: 12000
                identity:
                  IDENTITY_TYPE: aadApplication
                  AZURE_CLIENT_ID: 11111111-1111-1111-1111-111111111111
                  AZURE_TENANT_ID: 22222222-2222-2222-2222-222222222222
                  AZURE_CLIENT_SECRET: not-a-real-secret
                  INGESTION_AAD_AUDIENCE: https://monitor.azure.us
                route: {label: team, values: [a, alpha]}
              - name: platform
                endpoints: [https://dce-3.westeurope-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-p/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24]
                identity: {IDENTITY_TYPE: userAssigned, AZURE_CLIENT_ID: 33333333-3333-3333-3333-333333333333}
                route: {header: X-Destination}
            """);

        Assert.Empty(problems);
        Assert.Equal(RoutingMode.Route, options.Mode);
        Assert.Equal("platform", options.DefaultDestination);
        var a = options.Destinations[0];
        Assert.Equal("team-a", a.Name);
        Assert.Equal(2, a.Endpoints.Count);
        Assert.Equal(EndpointBalance.LeastLoad, a.Balance);
        Assert.Equal(12_000, a.MaxRequestsPerMinute);
        Assert.Equal(IdentityType.AadApplication, a.Identity.EffectiveType);
        Assert.Equal("11111111-1111-1111-1111-111111111111", a.Identity.ClientId);
        Assert.Equal("https://monitor.azure.us/.default", a.Identity.Scope);
        Assert.Equal(new DestinationRoute(RouteKind.Label, "team", ["a", "alpha"]).Values, a.Route!.Values);
        var platform = options.Destinations[1];
        Assert.Equal(DestinationSettings.AzureMaxRequestsPerMinute, platform.MaxRequestsPerMinute);
        Assert.Equal(EndpointBalance.SeriesHash, platform.Balance);
        Assert.Equal(RouteKind.Header, platform.Route!.Kind);
        Assert.Equal(["platform"], platform.Route.Values);
    }

    [Fact]
    public void Routes_in_fanout_mode_and_a_label_route_without_values_are_problems()
    {
        var (_, fanout) = Read("""
            mode: fanout
            destinations:
              - name: a
                endpoints: [https://dce-a/write]
                identity: {IDENTITY_TYPE: systemAssigned}
                route: {header: X-Destination}
            """);
        var (_, noValues) = Read("""
            destinations:
              - name: a
                endpoints: [https://dce-a/write]
                identity: {IDENTITY_TYPE: systemAssigned}
                route: {label: team}
            """);

        Assert.Contains(fanout, p => p.Contains("route is set but mode is fanout", StringComparison.Ordinal));
        Assert.Contains(noValues, p => p.Contains("route by label 'team' needs values", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_file_needs_a_destination()
    {
        var (_, problems) = Read("");

        Assert.Contains(problems, p => p.EndsWith("destinations: at least one destination is required.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_that_does_not_read_DESTINATIONS_FILE_refuses_it_at_start()
    {
        var forwarder = new Azure.AzureMonitorOptions { DestinationsFile = "/etc/relay/destinations.yaml" };
        var relay = new Azure.AzureMonitorOptions { DestinationsFile = "/etc/relay/destinations.yaml", DestinationsFileSupported = true };

        Assert.Contains(forwarder.Validate(), p => p.Contains("read by the standalone relay only", StringComparison.Ordinal));
        Assert.Empty(relay.Validate());
    }

    [Fact]
    public void A_service_that_only_routes_needs_names_and_routes_but_no_endpoints_or_identity()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """
            destinations:
              - name: team-a
                route: {label: team, values: [a]}
            """);
        try
        {
            var routing = new DestinationsOptions { File = file, RoutingOnly = true };
            var sending = new DestinationsOptions { File = file };

            Assert.Empty(routing.Validate());
            Assert.Equal("team", routing.Destinations[0].Route!.Name);
            Assert.Contains(sending.Validate(), p => p.Contains("endpoints needs at least one ingestion URL", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
