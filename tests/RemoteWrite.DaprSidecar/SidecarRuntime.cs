using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace RemoteWrite.DaprSidecar;

/// <summary>The state one stand-in's endpoints share: its options, the network, the client it calls its app with.</summary>
public sealed class SidecarRuntime(SidecarOptions options, DaprNetwork network) : IDisposable, IAsyncDisposable
{
    public const string ApiTokenHeader = "dapr-api-token";

    public SidecarOptions Options { get; } = options;

    public DaprNetwork Network { get; } = network;

    /// <summary>
    /// This daprd's pub/sub: its own Redis streams component when <see cref="SidecarOptions.Redis"/> is set,
    /// else the network's in-memory broker; null when it loads none (publishing then fails with "not found").
    /// </summary>
    public IPubSubBroker? Broker { get; } = options.Redis is { } redis
        ? new RedisStreamsBroker(redis.Name, redis, options.AppId)
        : network.Broker;

    private long _largestDelivery;

    /// <summary>The largest delivery body sent to the app so far (bytes), for tests of the app's limits.</summary>
    public long LargestDelivery => Interlocked.Read(ref _largestDelivery);

    /// <summary>Bulk deliveries the app did not answer in time (the whole bulk is then retried, as in daprd).</summary>
    public long TimedOutDeliveries => Interlocked.Read(ref _timedOut);

    private long _timedOut;

    public void Delivered(long bytes)
    {
        long seen;
        while (bytes > (seen = Interlocked.Read(ref _largestDelivery)) && Interlocked.CompareExchange(ref _largestDelivery, bytes, seen) != seen)
        {
        }
    }

    public void TimedOut() => Interlocked.Increment(ref _timedOut);

    private long _deadLettered;

    /// <summary>Messages whose retries were spent and that went to their subscription's dead-letter topic.</summary>
    public long DeadLetteredMessages => Interlocked.Read(ref _deadLettered);

    public void DeadLettered() => Interlocked.Increment(ref _deadLettered);

    /// <summary>Answers of <c>/v1.0/healthz</c>: 204 when true, 500 when false.</summary>
    public bool Healthy { get; set; } = true;

    /// <summary>Calls to the app; short-lived connections so a restarted app is reached again at once.</summary>
    public HttpClient AppClient { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        Timeout = options.AppTimeout,
    };

    /// <summary>
    /// daprd with <c>DAPR_API_TOKEN</c> set refuses a call without the right <c>dapr-api-token</c>
    /// (dapr/dapr pkg/http/server.go <c>useAPIAuthentication</c>, pkg/api/grpc/server.go
    /// <c>setAPIAuthenticationMiddlewareUnary</c>), health endpoints excepted.
    /// </summary>
    public bool ApiTokenMatches(string? presented) =>
        Options.DaprApiToken is null || string.Equals(presented, Options.DaprApiToken, StringComparison.Ordinal);

    public void CheckApiToken(ServerCallContext context)
    {
        if (!ApiTokenMatches(context.RequestHeaders.GetValue(ApiTokenHeader)))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "authentication error: api token mismatch"));
        }
    }

    public bool CheckApiToken(HttpContext context) => ApiTokenMatches(context.Request.Headers[ApiTokenHeader]);

    /// <summary>Adds the app token daprd sends on every call to its app (CONTRACT.md §4a).</summary>
    public void AddAppToken(HttpRequestMessage request)
    {
        if (Options.AppApiToken is { } token)
        {
            request.Headers.TryAddWithoutValidation(ApiTokenHeader, token);
        }
    }

    public void Dispose() => AppClient.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (Broker is RedisStreamsBroker redis)
        {
            await redis.DisposeAsync();
        }

        AppClient.Dispose();
    }
}
