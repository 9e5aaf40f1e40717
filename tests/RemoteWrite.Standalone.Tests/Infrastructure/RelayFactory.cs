using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RemoteWrite.Core.Azure;
using RemoteWrite.Core.Azure.Check;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Azure.Reporting;

namespace RemoteWrite.Standalone.Tests.Infrastructure;

/// <summary>
/// The relay in-process on TestServer, with Azure replaced by <see cref="FakeAzure"/> and the
/// token by <see cref="FakeTokenSource"/>; everything else (receiver, sink, sender, resilience
/// pipeline, metrics) is the real thing.
/// </summary>
/// <param name="credentials">When given, the real token keeper runs on these credentials instead of <see cref="Tokens"/>.</param>
public sealed class RelayFactory(IDictionary<string, string?>? settings = null, FakeCredentialFactory? credentials = null) : WebApplicationFactory<Program>
{
    public const string IngestionUrl = "https://dce.westeurope-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-0123/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24";

    public FakeAzure Azure { get; } = new();

    public FakeTokenSource Tokens { get; } = new();

    public StringWriter SummaryOutput { get; } = new();

    /// <summary>
    /// Runs the relay on real Kestrel on a free loopback port (its own LISTENING_PORT), for what
    /// TestServer does not have: connection limits, timeouts, answers before the body has arrived.
    /// </summary>
    public HttpClient StartKestrel(int port)
    {
        UseKestrel();
        StartServer();
        return new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var all = new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = IngestionUrl,
            ["IDENTITY_TYPE"] = "systemAssigned",
            ["AzureMonitor:MaxRetries"] = "0",
            ["LOG_FORMAT"] = "text",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(all));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ITokenCredentialFactory>(credentials ?? FakeCredentialFactory.Always(TimeProvider.System));
            if (credentials is null)
            {
                services.AddSingleton<IAccessTokenSource>(Tokens);
                services.AddSingleton<ITokenStatus>(Tokens);
            }

            services.AddSingleton(new PublishSummaryOutput(SummaryOutput));
            services.AddHttpClient(AzureMonitorSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Azure);
            services.AddHttpClient(ConnectionCheck.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Azure);
        });
    }
}
