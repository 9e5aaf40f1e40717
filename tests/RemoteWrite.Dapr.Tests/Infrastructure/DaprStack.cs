using System.Text.Json;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>
/// The whole Dapr deployment on loopback: the local Azure stand-in, a real Redis, a stand-in daprd per
/// app (the ingress' and the forwarder's each with their own Redis streams component from
/// components/pubsub.yaml, as pubsub.yaml's scopes say), and the three services as child processes
/// wired to their sidecars as daprd wires them. The token service's secret store is
/// components/secrets.dev.json, as the local file store serves it.
/// </summary>
public sealed class DaprStack : IAsyncDisposable
{
    public const string Dcr = "dcr-00000000000000000000000000000000";
    public const string DevClientId = "00000000-0000-0000-0000-00000000c11e";
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    /// <summary>The destination the ingress is configured to write into each message's metadata.</summary>
    public const string Destination = "e2e-destination";

    /// <summary>The Redis and the component settings the ingress' and the forwarder's sidecars load (the shipped file, on this Redis).</summary>
    public RedisPubSub Broker { get; private set; } = null!;

    /// <summary>Only name resolution for invocation; the pub/sub is each sidecar's own Redis component.</summary>
    public DaprNetwork Network { get; } = new();

    public LocalAzureProcess LocalAzure { get; private set; } = null!;

    public ServiceProcess Ingress { get; private set; } = null!;

    public ServiceProcess Forwarder { get; private set; } = null!;

    public ServiceProcess TokenService { get; private set; } = null!;

    public DaprSidecarStandIn IngressSidecar { get; private set; } = null!;

    public DaprSidecarStandIn ForwarderSidecar { get; private set; } = null!;

    public DaprSidecarStandIn TokenSidecar { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static Task<DaprStack> StartAsync(IReadOnlyDictionary<string, string>? forwarderEnvironment = null) =>
        StartAsync(new DaprStackOptions { ForwarderEnvironment = forwarderEnvironment ?? new Dictionary<string, string>() });

    public static async Task<DaprStack> StartAsync(DaprStackOptions options)
    {
        var stack = new DaprStack();
        try
        {
            await stack.StartCoreAsync(options);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(DaprStackOptions options)
    {
        var forwarderEnvironment = With(options.AllServicesEnvironment, options.ForwarderEnvironment);
        Broker = RedisPubSub.Start(DaprYaml.PubSubSettings());
        int ingressPort = FreePort.Next(), forwarderPort = FreePort.Next(), tokenPort = FreePort.Next();

        // As the other services here: Development, default log levels. Started now, awaited after the sidecars.
        LocalAzure = new LocalAzureProcess(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = null,
        });
        LocalAzure.Process.Start();

        IngressSidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions
        {
            AppId = DaprNames.IngressAppId,
            AppAddress = new Uri($"http://127.0.0.1:{ingressPort}"),
            DaprApiToken = Secret(),
            MtlsEnabled = DaprYaml.MtlsEnabled(),
            Redis = Broker.Settings,
        }, Network);
        ForwarderSidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions
        {
            AppId = DaprNames.ForwarderAppId,
            AppAddress = new Uri($"http://127.0.0.1:{forwarderPort}"),
            DaprApiToken = Secret(),
            AppApiToken = Secret(),
            DeliveryRetry = DaprYaml.DeliveryRetry(),
            RedeliverAfterRetriesExhausted = Broker.Settings.ProcessingTimeout,
            Concurrency = Broker.Settings.Concurrency,
            AppTimeout = DaprYaml.DeliveryTimeout(),
            MtlsEnabled = DaprYaml.MtlsEnabled(),
            Redis = Broker.Settings,
        }, Network);
        TokenSidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions
        {
            AppId = DaprNames.TokenServiceAppId,
            AppAddress = new Uri($"http://127.0.0.1:{tokenPort}"),
            DaprApiToken = Secret(),
            AppApiToken = Secret(),
            AccessControl = DaprYaml.AccessControl(),
            MtlsEnabled = DaprYaml.MtlsEnabled(),
            SecretStores = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>
            {
                [DaprNames.SecretStore] = LocalFileSecretStore(options.SecretsFile ?? Path.Combine(RepoPaths.Components, "secrets.dev.json")),
            },
        }, Network);

        await LocalAzure.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        if (options.ClientId is { } clientId)
        {
            // The app the given secrets file's client secret belongs to.
            await LocalAzure.RegisterAppAsync(clientId, options.ClientSecret);
        }

        TokenService = DaprApp("RemoteWrite.TokenService", tokenPort, With(TokenSidecar.AppEnvironment, With(new Dictionary<string, string>
        {
            // The side car's names, as a user of the side car writes them.
            ["IDENTITY_TYPE"] = "aadApplication",
            ["AZURE_CLIENT_ID"] = options.ClientId ?? DevClientId,
            ["AZURE_TENANT_ID"] = TenantId,
            ["AZURE_AUTHORITY_HOST"] = LocalAzure.HttpsAddress.ToString(),
            ["SSL_CERT_FILE"] = LocalAzure.CaBundlePath,

            // A token Azure refuses is replaced however young it is (the default waits 10 s).
            ["Identity__MinTokenAgeToInvalidate"] = "00:00:00",
        }, With(options.AllServicesEnvironment, options.TokenServiceEnvironment))));
        Forwarder = DaprApp("RemoteWrite.Forwarder", forwarderPort, With(ForwarderSidecar.AppEnvironment, With(new Dictionary<string, string>
        {
            ["INGESTION_URL"] = LocalAzure.IngestionUrl(Dcr),
            ["Forwarder__BulkMaxAwaitMs"] = "200",
            ["Forwarder__ReportInterval"] = "00:00:05",
            ["PublishSummary__Interval"] = "00:00:05",
        }, forwarderEnvironment)));
        Ingress = DaprApp("RemoteWrite.Ingress", ingressPort, With(IngressSidecar.AppEnvironment, With(new Dictionary<string, string> { ["Ingress__Destination"] = Destination }, With(options.AllServicesEnvironment, options.IngressEnvironment))));

        TokenService.Start();
        Forwarder.Start();
        Ingress.Start();
        await TokenService.WaitUntilAsync("/ready", TimeSpan.FromSeconds(90));
        await Forwarder.WaitUntilAsync("/ready", TimeSpan.FromSeconds(90));
        await Ingress.WaitUntilAsync("/ready", TimeSpan.FromSeconds(90));
    }

    /// <summary>Waits until the forwarder has settled every message (so a test's baseline is not another test's backlog).</summary>
    public Task DrainAsync() => Broker.DrainAsync(TimeSpan.FromSeconds(120));

    /// <summary>The forwarder's sidecar's Redis streams component.</summary>
    public RedisStreamsBroker ForwarderBroker => (RedisStreamsBroker)ForwarderSidecar.Runtime.Broker!;

    /// <summary>Deliveries the forwarder's sidecar made again after a RETRY or a failed call (daprd's resiliency retries).</summary>
    public long Redelivered => ForwarderBroker.Redelivered;

    public Uri IngressWriteUrl => new(Ingress.Address, "/api/v1/write");

    /// <summary>The local Azure stand-in's totals (<c>/admin/stats</c>).</summary>
    public async Task<(long Samples, long Requests, long Series)> AzureStatsAsync()
    {
        var stats = await LocalAzure.StatsAsync();
        var total = stats.GetProperty("total");
        return (total.GetProperty("samples").GetInt64(), total.GetProperty("accepted").GetInt64(), stats.GetProperty("series").GetInt64());
    }

    public async Task SetAzureFaultAsync(int status, double seconds)
    {
        using var response = await Http.PostAsync(new Uri(LocalAzure.HttpAddress, "/admin/faults"), JsonContent(new { status, seconds, target = "ingestion" }));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A metric's value summed over its label sets, from a service's <c>/metrics</c>.</summary>
    public async Task<double> MetricAsync(ServiceProcess service, string name, string? labelFilter = null)
    {
        var text = await Http.GetStringAsync(new Uri(service.Address, "/metrics"));
        return PrometheusText.Sum(text, name, labelFilter);
    }

    private static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    // secretstores.local.file with nestedSeparator ":": each top-level key is a secret of one value.
    internal static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> LocalFileSecretStore(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { [p.Name] = p.Value.GetString()! });
    }

    /// <summary>Sets the role-assignment simulation of the stand-in: every identity refused (403) for its first <paramref name="delaySeconds"/> from its next request.</summary>
    public async Task SetRoleAssignmentDelayAsync(int delaySeconds)
    {
        using var response = await Http.PutAsync(new Uri(LocalAzure.HttpAddress, "/admin/role-assignments"), JsonContent(new { assignments = Array.Empty<object>(), delaySeconds }));
        response.EnsureSuccessStatusCode();
    }

    internal static string Secret() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    // As daprd runs an app (dapr.yaml): told its port, in Development, logging plain text.
    internal static ServiceProcess DaprApp(string project, int port, IReadOnlyDictionary<string, string> environment)
    {
        var all = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["LOG_FORMAT"] = "text",
        };
        foreach (var (key, value) in environment)
        {
            all[key] = value;
        }

        return new ServiceProcess(project, port, all);
    }

    internal static Dictionary<string, string> With(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        var merged = new Dictionary<string, string>(a);
        foreach (var (k, v) in b)
        {
            merged[k] = v;
        }

        return merged;
    }

    public async ValueTask DisposeAsync()
    {
        Ingress?.Dispose();
        Forwarder?.Dispose();
        TokenService?.Dispose();
        LocalAzure?.Dispose();
        foreach (var sidecar in new[] { IngressSidecar, ForwarderSidecar, TokenSidecar })
        {
            if (sidecar is not null)
            {
                await sidecar.DisposeAsync();
            }
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        Http.Dispose();
    }
}

/// <summary>What a test may change in a <see cref="DaprStack"/>; the defaults are the stack the end-to-end tests share.</summary>
public sealed record DaprStackOptions
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>Added to every service's environment (the more specific dictionaries below win).</summary>
    public IReadOnlyDictionary<string, string> AllServicesEnvironment { get; init; } = None;

    public IReadOnlyDictionary<string, string> IngressEnvironment { get; init; } = None;

    public IReadOnlyDictionary<string, string> ForwarderEnvironment { get; init; } = None;

    public IReadOnlyDictionary<string, string> TokenServiceEnvironment { get; init; } = None;

    /// <summary>The token service's secret store (a <c>secretstores.local.file</c> JSON file); default components/secrets.dev.json.</summary>
    public string? SecretsFile { get; init; }

    /// <summary>The token service's client id, registered at the stand-in with <see cref="ClientSecret"/>; default the dev app.</summary>
    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }
}
