namespace RemoteWrite.DaprSidecar;

/// <summary>How one stand-in daprd runs: the app it serves and the behaviour daprd's flags and components give it.</summary>
public sealed class SidecarOptions
{
    public required string AppId { get; init; }

    /// <summary>Where the app listens (daprd <c>--app-port</c>); null for an app that only calls out.</summary>
    public Uri? AppAddress { get; set; }

    /// <summary><c>APP_API_TOKEN</c>: sent as <c>dapr-api-token</c> on every call to the app.</summary>
    public string? AppApiToken { get; init; }

    /// <summary><c>DAPR_API_TOKEN</c>: required from the app on every call to the sidecar except health.</summary>
    public string? DaprApiToken { get; init; }

    /// <summary>The callee's access control (its Configuration); allow-all when none is set.</summary>
    public AccessControlPolicy AccessControl { get; init; } = AccessControlPolicy.AllowAll;

    /// <summary>Secret stores by name: key → (name → value), as the local file store serves them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> SecretStores { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>();

    /// <summary>
    /// mTLS between sidecars: only then does the callee know the caller's app id (its SPIFFE id) and
    /// apply the caller's access policy; without it daprd applies the global default action.
    /// </summary>
    public bool MtlsEnabled { get; init; } = true;

    /// <summary>The resiliency policy for deliveries to the app (the pub/sub's inbound retry).</summary>
    public RetryPolicy DeliveryRetry { get; init; } = RetryPolicy.Default;

    /// <summary>
    /// Once the retries are spent daprd hands the error back to the component, which delivers the
    /// message again later: Redis streams after <c>processingTimeout</c> (components-contrib
    /// pubsub/redis/redis.go <c>reclaimPendingMessages</c>).
    /// </summary>
    public TimeSpan RedeliverAfterRetriesExhausted { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Messages delivered at once per subscription (the Redis component's <c>concurrency</c>, default 10).</summary>
    public int Concurrency { get; init; } = 10;

    /// <summary>Time allowed for one call to the app before it counts as failed (a delivery: the resiliency policy's inbound timeout).</summary>
    public TimeSpan AppTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The Redis streams pub/sub this daprd loads (components/pubsub.yaml, its <c>redisHost</c> set to the
    /// test's Redis): each stand-in then has its own component instance on that Redis, as each daprd has.
    /// Null: the <see cref="DaprNetwork"/>'s shared <see cref="InMemoryBroker"/>, if it has one.
    /// </summary>
    public RedisPubSubSettings? Redis { get; init; }

    /// <summary>Shorthand for <see cref="Redis"/>: the pub/sub at this host:port with components-contrib's defaults.</summary>
    public string? RedisAddress
    {
        get => Redis?.Host;
        init => Redis = value is null ? null : (Redis ?? RedisPubSubSettings.Default(value)) with { Host = value };
    }
}
