using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using RemoteWrite.Core.Azure.Check;
using RemoteWrite.Core.Azure.Status;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Azure;

public static class AzureMonitorServiceCollectionExtensions
{
    /// <summary>How long sends pause once Azure keeps failing (the circuit breaker's break).</summary>
    public static readonly TimeSpan CircuitBreakDuration = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Registers <see cref="AzureMonitorOptions"/> (section <c>AzureMonitor</c>, validated at
    /// start), the named HttpClient, <see cref="AzureMonitorSender"/>, its metrics and statistics,
    /// and <see cref="AzureMonitorSink"/> as the <see cref="IWriteSink"/>. TryAdd throughout, so a
    /// test can register its own first; the HTTP upstream is swapped with
    /// <c>services.AddHttpClient(AzureMonitorSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(…)</c>.
    /// Needs an <see cref="Identity.IAccessTokenSource"/> (<c>AddAzureIdentity</c>, or the Dapr token client).
    /// </summary>
    public static IServiceCollection AddAzureMonitorSender(this IServiceCollection services, IConfiguration configuration)
    {
        // INGESTION_URL, the side car's name, wins over AzureMonitor__IngestionUrl.
        services.AddValidatedOptions<AzureMonitorOptions>(configuration.GetSection(AzureMonitorOptions.SectionName))
            .Configure(o => SideCarEnvironment.ApplyAzureMonitor(o, configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SenderMetrics>();
        services.TryAddSingleton<PublishStatistics>();
        services.TryAddSingleton<SendFailureLog>();
        services.AddIngestionStatus(configuration);
        services.TryAddSingleton<ICheckTargets, SingleDestinationCheckTargets>();
        services.TryAddSingleton<ConnectionCheck>();

        // The check command's client: no retries or circuit breaker, so the first answer is the verdict.
        services.AddHttpClient(ConnectionCheck.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, AllowAutoRedirect = false, UseCookies = false });
        services.TryAddSingleton<AzureMonitorSender>();
        services.TryAddSingleton<AzurePartSender>();
        services.TryAddSingleton<AzureMonitorSink>();
        services.TryAddSingleton<IWriteSink>(sp => sp.GetRequiredService<AzureMonitorSink>());

        services.AddHttpClient(AzureMonitorSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline times out
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var o = sp.GetRequiredService<IOptions<AzureMonitorOptions>>().Value;
                return new SocketsHttpHandler
                {
                    PooledConnectionLifetime = o.PooledConnectionLifetime,
                    MaxConnectionsPerServer = o.MaxConcurrentRequests,
                    ConnectTimeout = o.AttemptTimeout,
                    AutomaticDecompression = DecompressionMethods.None,
                    EnableMultipleHttp2Connections = true,
                };
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan) // SocketsHttpHandler recycles connections itself
            .AddResilienceHandler("azure-monitor", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<AzureMonitorOptions>>().Value;
                pipeline.AddTimeout(o.TotalTimeout);
                if (o.MaxRetries > 0)
                {
                    // Re-POSTing a remote-write body is safe: a duplicate sample is stored once.
                    // 429 and a 503 with Retry-After are not retried here: the sender backs off instead.
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(200),
                        ShouldRetryAfterHeader = false,
                        ShouldHandle = args => ValueTask.FromResult(IsQuicklyRetriable(args.Outcome)),
                    });
                }

                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.9,
                    MinimumThroughput = 20,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = CircuitBreakDuration,
                    ShouldHandle = args => ValueTask.FromResult(IsServerFailure(args.Outcome)),
                });
                pipeline.AddTimeout(o.AttemptTimeout);
            })
            .SelectPipelineByAuthority(); // one circuit per ingestion host: a failing endpoint never opens a healthy one's

        return services;
    }

    private static bool IsQuicklyRetriable(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result is { StatusCode: HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout }
        || outcome.Result is { StatusCode: HttpStatusCode.ServiceUnavailable, Headers.RetryAfter: null };

    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException || (int?)outcome.Result?.StatusCode >= 500;
}
