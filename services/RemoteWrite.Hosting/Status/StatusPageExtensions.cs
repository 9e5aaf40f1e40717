using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure.Status;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Limits;

namespace RemoteWrite.Hosting.Status;

public static class StatusPageExtensions
{
    /// <summary>
    /// Maps the status page at <c>GET /</c> (<see cref="StatusPageRenderer"/>) and creates the volume
    /// gauges (<see cref="StatusMetrics"/>) and the case-collision counter so <c>/metrics</c> has them from start. Needs
    /// <c>AddIngestionStatus</c> (the receiver and the Azure sender register it).
    /// </summary>
    public static IEndpointConventionBuilder MapStatusPage(this WebApplication app, string service)
    {
        _ = app.Services.GetRequiredService<StatusMetrics>();
        _ = app.Services.GetService<SeriesWatch>(); // its counter exists from start, at zero
        return app.MapGet("/", (IngestionStatus status, IOptions<WorkspaceLimits> limits, IEnumerable<IStatusSection> sections, TimeProvider time, IServiceProvider services) =>
            TypedResults.Content(
                StatusPageRenderer.Render(service, status, services.GetService<ITokenStatus>(), limits.Value, sections, time.GetUtcNow()),
                "text/html; charset=utf-8"));
    }
}
