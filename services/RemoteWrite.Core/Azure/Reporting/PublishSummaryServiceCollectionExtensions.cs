using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Core.Azure.Reporting;

public static class PublishSummaryServiceCollectionExtensions
{
    /// <summary>The side car's per-minute line on stdout (section <c>PublishSummary</c>); tests swap the output.</summary>
    public static IServiceCollection AddPublishSummary(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PublishSummaryOptions>(configuration.GetSection(PublishSummaryOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new PublishSummaryOutput(Console.Out));
        services.AddHostedService<PublishSummaryReporter>();
        return services;
    }
}
