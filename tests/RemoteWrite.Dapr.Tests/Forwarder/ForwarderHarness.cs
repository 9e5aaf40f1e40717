using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Core.Azure;
using RemoteWrite.Forwarder;
using RemoteWrite.Forwarder.Delivering;

namespace RemoteWrite.Dapr.Tests.Forwarder;

/// <summary>
/// The forwarder's real registration (<c>AddForwarder</c>: options, token client, shared Azure sender
/// and sink) with two seams: Azure's HTTP answers come from <see cref="Azure"/> (a fake handler under
/// the sender's named HttpClient), and the sidecar's from <see cref="Sidecar"/> (under the SDK's
/// HttpClient, for the token client's service invocation). Measurements of the forwarder's meter are kept.
/// </summary>
public sealed class ForwarderHarness : IDisposable
{
    public const string IngestionUrl = "http://azure.test/dataCollectionRules/dcr-00000000000000000000000000000000/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24";

    private readonly ServiceProvider _services;
    private readonly LoopbackSidecar _sidecar;
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, string? Tag)> _measurements = [];

    public ForwarderHarness(IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["AzureMonitor:IngestionUrl"] = IngestionUrl,
            ["AzureMonitor:MaxRetries"] = "0", // one POST per request, so the handler sees each answer once
            ["Forwarder:TokenTimeout"] = "00:00:05",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        _sidecar = new LoopbackSidecar(Sidecar);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<global::Dapr.Client.DaprClient>(_ => new global::Dapr.Client.DaprClientBuilder()
            .UseHttpEndpoint(_sidecar.Address.ToString())
            .UseGrpcEndpoint(_sidecar.Address.ToString()) // not called: invocation is HTTP
            .UseDaprApiToken(DaprApiToken)
            .Build());
        services.AddForwarder(configuration);
        services.AddHttpClient(AzureMonitorSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Azure);
        _services = services.BuildServiceProvider();

        var factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ForwarderMetrics.MeterName && instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, tags.Length > 0 ? tags[0].Value?.ToString() : null));
            }
        });
        _listener.Start();
    }

    public const string DaprApiToken = "test-dapr-api-token";

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public FakeHttpHandler Azure { get; } = new();

    /// <summary>daprd's HTTP API; by default the token service answers a token valid for an hour.</summary>
    public FakeHttpHandler Sidecar { get; } = new();

    public DeliveryForwarder Forwarder => _services.GetRequiredService<DeliveryForwarder>();

    public DaprTokenClient Tokens => _services.GetRequiredService<DaprTokenClient>();

    public InvalidDataReport Invalid => _services.GetRequiredService<InvalidDataReport>();

    /// <summary>Sum of a forwarder instrument's measurements, optionally for one tag value (status, reason).</summary>
    public long Sum(string instrument, string? tag = null)
    {
        lock (_measurements)
        {
            return _measurements.Where(m => m.Instrument == instrument && (tag is null || m.Tag == tag)).Sum(m => m.Value);
        }
    }

    /// <summary>The token service's answer through the sidecar, as Dapr.Client deserializes it (web JSON, camelCase).</summary>
    public static HttpResponseMessage TokenAnswer(string token, DateTimeOffset expiresOn) =>
        new(System.Net.HttpStatusCode.OK) { Content = System.Net.Http.Json.JsonContent.Create(new TokenResponse(token, expiresOn), options: new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)) };

    public void AnswerTokens(string token = "token-1", TimeSpan? lifetime = null) =>
        Sidecar.Respond = _ => TokenAnswer(token, Time.GetUtcNow() + (lifetime ?? TimeSpan.FromHours(1)));

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
        _sidecar.Dispose();
        Azure.Dispose();
        Sidecar.Dispose();
    }
}
