using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests.Redis;

/// <summary>
/// The Dapr deployment scaled out on one real Redis: several ingresses and forwarders, each app a
/// child process with its own stand-in daprd, each daprd with its own Redis streams component
/// (components/pubsub.yaml, <c>redisHost</c> pointed at the test's redis-server), plus the token
/// service and the local Azure stand-in.
/// </summary>
public sealed class RedisReplicaStack : IAsyncDisposable
{
    private readonly RedisPubSubSettings _pubSub;
    private readonly IReadOnlyDictionary<string, string> _forwarderEnvironment;
    private readonly string _forwarderToken = DaprStack.Secret();

    private RedisReplicaStack(RedisPubSubSettings pubSub, IReadOnlyDictionary<string, string> forwarderEnvironment)
    {
        _pubSub = pubSub;
        _forwarderEnvironment = forwarderEnvironment;
    }

    /// <summary>The Redis and the component settings every sidecar loads (the shipped file, on this Redis).</summary>
    public RedisPubSub Broker { get; private set; } = null!;

    /// <summary>Only name resolution for invocation; the pub/sub is each sidecar's own Redis component.</summary>
    public DaprNetwork Network { get; } = new();

    public LocalAzureProcess LocalAzure { get; private set; } = null!;

    public List<Replica> Ingresses { get; } = [];

    public List<Replica> Forwarders { get; } = [];

    public Replica Token { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<RedisReplicaStack> StartAsync(int ingresses, int forwarders, IReadOnlyDictionary<string, string>? forwarderEnvironment = null)
    {
        var settings = DaprYaml.PubSubSettings();
        // processingTimeout bounds how long a dead replica's messages wait (the kill tests wait it out).
        // CI shortens it (RW_PROCESSING_TIMEOUT_MS, 30000 by default; "file" keeps the shipped value):
        // shorter is the safe direction, since daprd's handler context ends at processingTimeout
        // (pubsub/redis/redis.go processMessage) and an unacknowledged message is then claimed again.
        var timeout = Environment.GetEnvironmentVariable("RW_PROCESSING_TIMEOUT_MS") is { Length: > 0 } t ? t : "30000";
        if (timeout != "file")
        {
            settings = settings with { ProcessingTimeout = TimeSpan.FromMilliseconds(int.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture)) };
        }

        var stack = new RedisReplicaStack(settings, forwarderEnvironment ?? new Dictionary<string, string>());
        try
        {
            await stack.StartCoreAsync(ingresses, forwarders);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(int ingresses, int forwarders)
    {
        Broker = RedisPubSub.Start(_pubSub);
        LocalAzure = new LocalAzureProcess(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        LocalAzure.Process.Start();

        var tokenPort = FreePort.Next();
        var tokenSidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions
        {
            AppId = DaprNames.TokenServiceAppId,
            AppAddress = new Uri($"http://127.0.0.1:{tokenPort}"),
            DaprApiToken = DaprStack.Secret(),
            AppApiToken = DaprStack.Secret(),
            AccessControl = DaprYaml.AccessControl(),
            MtlsEnabled = DaprYaml.MtlsEnabled(),
            SecretStores = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>
            {
                [DaprNames.SecretStore] = DaprStack.LocalFileSecretStore(Path.Combine(RepoPaths.Components, "secrets.dev.json")),
            },
        }, Network);
        await LocalAzure.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        Token = new Replica(DaprStack.DaprApp("RemoteWrite.TokenService", tokenPort, DaprStack.With(tokenSidecar.AppEnvironment, new Dictionary<string, string>
        {
            ["IDENTITY_TYPE"] = "aadApplication",
            ["AZURE_CLIENT_ID"] = DaprStack.DevClientId,
            ["AZURE_TENANT_ID"] = DaprStack.TenantId,
            ["AZURE_AUTHORITY_HOST"] = LocalAzure.HttpsAddress.ToString(),
            ["SSL_CERT_FILE"] = LocalAzure.CaBundlePath,
            ["Identity__MinTokenAgeToInvalidate"] = "00:00:00",
        })), tokenSidecar);
        Token.App.Start();
        await Token.App.WaitUntilAsync("/ready", TimeSpan.FromSeconds(90));

        for (var i = 0; i < forwarders; i++)
        {
            Forwarders.Add(await StartForwarderAsync());
        }

        for (var i = 0; i < ingresses; i++)
        {
            var port = FreePort.Next();
            var sidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions
            {
                AppId = DaprNames.IngressAppId,
                AppAddress = new Uri($"http://127.0.0.1:{port}"),
                DaprApiToken = DaprStack.Secret(),
                MtlsEnabled = DaprYaml.MtlsEnabled(),
                Redis = Broker.Settings,
            }, Network);
            var ingress = new Replica(DaprStack.DaprApp("RemoteWrite.Ingress", port, DaprStack.With(sidecar.AppEnvironment, new Dictionary<string, string> { ["Ingress__Destination"] = DaprStack.Destination })), sidecar);
            ingress.App.Start();
            Ingresses.Add(ingress);
        }

        foreach (var replica in Forwarders.Concat(Ingresses))
        {
            await replica.App.WaitUntilAsync("/ready", TimeSpan.FromSeconds(120));
        }
    }

    /// <summary>One more forwarder replica with its own sidecar (a new pod): same app id, so the same consumer group.</summary>
    public async Task<Replica> StartForwarderAsync()
    {
        var port = FreePort.Next();
        var sidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions
        {
            AppId = DaprNames.ForwarderAppId,
            AppAddress = new Uri($"http://127.0.0.1:{port}"),
            DaprApiToken = DaprStack.Secret(),
            AppApiToken = _forwarderToken,
            DeliveryRetry = DaprYaml.DeliveryRetry(),
            RedeliverAfterRetriesExhausted = Broker.Settings.ProcessingTimeout,
            Concurrency = Broker.Settings.Concurrency,
            AppTimeout = DaprYaml.DeliveryTimeout(),
            MtlsEnabled = DaprYaml.MtlsEnabled(),
            Redis = Broker.Settings,
        }, Network);
        var app = DaprStack.DaprApp("RemoteWrite.Forwarder", port, DaprStack.With(sidecar.AppEnvironment, DaprStack.With(new Dictionary<string, string>
        {
            ["INGESTION_URL"] = LocalAzure.IngestionUrl(DaprStack.Dcr),
            ["Forwarder__BulkMaxAwaitMs"] = "200",
            ["Forwarder__ReportInterval"] = "00:00:05",
            ["PublishSummary__Interval"] = "00:00:05",
            ["Forwarder__Lag__RedisAddress"] = Broker.Server.Address,
            ["Forwarder__Lag__PollInterval"] = "00:00:02",
        }, _forwarderEnvironment)));
        app.Start();
        return new Replica(app, sidecar);
    }

    /// <summary>A forwarder pod dies: the app is SIGKILLed and its daprd stops at once, acknowledging nothing more.</summary>
    public async Task KillForwarderAsync(Replica replica)
    {
        replica.App.Kill();
        Forwarders.Remove(replica);
        await replica.Sidecar.DisposeAsync();
        replica.App.Dispose();
    }

    public async Task<long> AzureSamplesAsync() => (await LocalAzure.StatsAsync()).GetProperty("total").GetProperty("samples").GetInt64();

    public async Task<double> MetricAsync(ServiceProcess service, string name, string? labelFilter = null)
    {
        var text = await Http.GetStringAsync(new Uri(service.Address, "/metrics"));
        return PrometheusText.Sum(text, name, labelFilter);
    }

    /// <summary>Messages the live forwarders' sidecars acknowledged after daprd gave up on them (lost; see <see cref="RedisStreamsBroker.AcknowledgedAfterGivingUp"/>).</summary>
    public long GaveUp => Forwarders.Sum(f => f.Broker.AcknowledgedAfterGivingUp);

    /// <summary>Messages the forwarders' sidecars took over from a dead or slow replica (XCLAIM), over the live sidecars.</summary>
    public long Reclaimed => Forwarders.Sum(f => f.Broker.Reclaimed);

    /// <summary>Deliveries the live forwarders' sidecars made again after a RETRY or a failed call (daprd's resiliency retries).</summary>
    public long Redelivered => Forwarders.Sum(f => f.Broker.Redelivered);

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in Ingresses.Concat(Forwarders).Append(Token))
        {
            if (replica is not null)
            {
                replica.App.Dispose();
                await replica.Sidecar.DisposeAsync();
            }
        }

        LocalAzure?.Dispose();
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        Http.Dispose();
    }

    /// <summary>One pod: the app process and its daprd.</summary>
    public sealed record Replica(ServiceProcess App, DaprSidecarStandIn Sidecar)
    {
        /// <summary>The daprd's own Redis streams component.</summary>
        public RedisStreamsBroker Broker => (RedisStreamsBroker)Sidecar.Runtime.Broker!;
    }
}
