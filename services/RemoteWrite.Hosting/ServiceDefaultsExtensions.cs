using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace RemoteWrite.Hosting;

/// <summary>
/// What every deployable shares: OpenTelemetry metrics exported at <c>/metrics</c>,
/// <c>/health</c> (liveness) and <c>/ready</c> (readiness), structured console logs, and traces
/// over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks tagged with this take part in <c>/health</c>.</summary>
    public const string LiveTag = "live";

    /// <summary>Health checks tagged with this take part in <c>/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Prefix of every meter this product defines; all are exported.</summary>
    public const string MeterPrefix = "RemoteWrite.";

    /// <summary>The OpenTelemetry SDK's own variable (opentelemetry.io/docs/specs/otel/protocol/exporter).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // Latencies of this product (sidecar publishes, Azure requests, remote-write answers) lie between
    // a millisecond and Azure's 25 s deadline; the SDK's default boundaries (0, 5, 10, 25 … meant for
    // milliseconds) would put them all in the first bucket. A histogram that names its own boundaries
    // (the forwarder's delivery lag, minutes to an hour) keeps them: a view would override its advice.
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25];

    // Probes and scrapes every few seconds would drown the traces that matter.
    private static readonly string[] UntracedPaths = ["/health", "/ready", "/metrics"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureStructuredLogging();

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(MeterPrefix + "*")
                .AddView(instrument => instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal) && instrument.Unit == "s"
                    && instrument is Histogram<double> { Advice: null or { HistogramBucketBoundaries: null } }
                    ? new ExplicitBucketHistogramConfiguration { Boundaries = SecondsBuckets }
                    : null)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        builder.AddOtlpTracing();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Traces exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (as eShop's
    /// ServiceDefaults): incoming requests, and outgoing HTTP and gRPC calls (the sidecar, Azure), so
    /// one remote-write request can be followed from the ingress through daprd and the forwarder to
    /// Azure (daprd passes <c>traceparent</c> on). Endpoint, protocol and headers come from the
    /// exporter's standard <c>OTEL_EXPORTER_OTLP_*</c> variables; the service name from
    /// <c>OTEL_SERVICE_NAME</c>, else the application's name.
    /// </summary>
    public static TBuilder AddOtlpTracing<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : builder.Environment.ApplicationName))
            .WithTracing(tracing => tracing
                .AddSource(MeterPrefix + "*")
                .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                    !UntracedPaths.Any(p => context.Request.Path.StartsWithSegments(p)))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        return builder;
    }

    /// <summary>
    /// Console logs: JSON lines (one object per event, scopes included) unless
    /// <c>LOG_FORMAT=text</c> asks for the plain single-line form.
    /// </summary>
    public static TBuilder ConfigureStructuredLogging<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var format = builder.Configuration["LOG_FORMAT"];
        builder.Logging.ClearProviders();
        if (string.Equals(format, "text", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        // HttpClient logs every request at Information; on the hot path that is noise.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        // One line per request from result executors and Polly attempts: noise; their failures still show as warnings.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Mvc", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        return builder;
    }

    /// <summary>Maps <c>/health</c>, <c>/ready</c> and <c>/metrics</c> in every environment.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResponseWriter = WriteStatusAsync,
        });
        app.MapHealthChecks("/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(ReadyTag) || r.Tags.Contains(LiveTag),
            ResponseWriter = WriteStatusAsync,
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    // A short plain-text answer: the status, then one line per failing check with its reason.
    private static Task WriteStatusAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = report.Status.ToString();
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status != HealthStatus.Healthy)
            {
                text += $"\n{name}: {entry.Status} {entry.Description}";
            }
        }

        return context.Response.WriteAsync(text + "\n");
    }
}
