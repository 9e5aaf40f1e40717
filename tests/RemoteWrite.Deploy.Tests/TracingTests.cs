using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using RemoteWrite.Hosting;

namespace RemoteWrite.Deploy.Tests;

/// <summary>Traces are exported over OTLP when, and only when, OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
public sealed class TracingTests
{
    private static TracerProvider? TracerWith(string? endpoint)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration[ServiceDefaultsExtensions.OtlpEndpointVariable] = endpoint;
        builder.AddServiceDefaults();
        var app = builder.Build();
        return app.Services.GetService<TracerProvider>();
    }

    [Fact]
    public void No_endpoint_no_tracer() => Assert.Null(TracerWith(null));

    [Fact]
    public void An_endpoint_turns_tracing_on() => Assert.NotNull(TracerWith("http://127.0.0.1:4317"));
}
