using System.Net;
using Azure.Core;
using RemoteWrite.Core.Protocol.V1;
using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests.Destinations;

/// <summary>
/// The relay in-process with a DESTINATIONS_FILE: Azure is <see cref="FakeAzure"/> (every ingestion
/// URL, told apart by host), each destination's token keeper is real and runs on fake credentials
/// whose tokens name the client id that asked, so a test sees which identity wrote where.
/// </summary>
public sealed class DestinationsRelay : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"destinations-{Guid.NewGuid():N}.yaml");

    public DestinationsRelay(string yaml, IDictionary<string, string?>? settings = null)
    {
        File.WriteAllText(_file, yaml);
        var all = new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = null,
            ["IDENTITY_TYPE"] = null,
            ["DESTINATIONS_FILE"] = _file,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        Factory = new RelayFactory(all, new FakeCredentialFactory((options, n) =>
            new FakeCredential(c => new AccessToken($"{options.ClientId}-{n}-{c}", DateTimeOffset.UtcNow.AddHours(1)))));
        Client = Factory.CreateClient();
    }

    public RelayFactory Factory { get; }

    public FakeAzure Azure => Factory.Azure;

    public HttpClient Client { get; }

    /// <summary>An ingestion URL at <paramref name="host"/> (a DCE of its own).</summary>
    public static string Url(string host) => $"https://{host}.westeurope-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-{host}/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24";

    /// <summary>Waits until every destination holds a token (/ready).</summary>
    public async Task<DestinationsRelay> ReadyAsync()
    {
        Assert.True(await Poll.UntilAsync(async () => (await Client.GetAsync("/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)), "the relay never became ready");
        return this;
    }

    public async Task<HttpResponseMessage> WriteAsync(byte[] body, string path = "/api/v1/write", (string Name, string Value)? header = null)
    {
        var request = RemoteWriteBodies.Post(new Uri(Client.BaseAddress!, path), body);
        if (header is { } h)
        {
            request.Headers.Add(h.Name, h.Value);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>The requests Azure received at <paramref name="host"/>.</summary>
    public List<FakeAzure.Recorded> At(string host) => [.. Azure.Requests.Where(r => r.Uri.Host.StartsWith(host + ".", StringComparison.Ordinal))];

    /// <summary>Every series (by its instance label) Azure accepted at <paramref name="host"/> (answered 2xx).</summary>
    public List<TimeSeries> SeriesAt(string host) => [.. At(host).SelectMany(r => RemoteWriteBodies.Decode(r.Body).Timeseries)];

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
        File.Delete(_file);
    }
}
