using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Limits;
using RemoteWrite.Core.Pipeline;

namespace RemoteWrite.Core.Azure.Status;

public static class IngestionStatusServiceCollectionExtensions
{
    /// <summary>
    /// Registers the status registry (with the <see cref="IngestionStatus.DefaultDestination"/> destination),
    /// its gauges, <see cref="WorkspaceLimits"/> (section <c>WorkspaceLimits</c>, validated at start) and the
    /// <see cref="SeriesWatch"/> a preparer uses when given one. TryAdd throughout; safe to call twice.
    /// </summary>
    public static IServiceCollection AddIngestionStatus(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Binding twice (a second call) binds the same values again: harmless.
        services.AddValidatedOptions<WorkspaceLimits>(configuration.GetSection(WorkspaceLimits.SectionName));

        services.TryAddSingleton(sp =>
        {
            var status = new IngestionStatus(sp.GetRequiredService<TimeProvider>());
            status.Destination(IngestionStatus.DefaultDestination);
            return status;
        });
        services.TryAddSingleton<StatusMetrics>();
        services.TryAddSingleton(sp => new SeriesWatch(
            sp.GetRequiredService<IngestionStatus>(),
            sp.GetService<IOptions<WriteLimits>>()?.Value.CaseCollisions ?? false,
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SeriesWatch>>()));
        return services;
    }
}
