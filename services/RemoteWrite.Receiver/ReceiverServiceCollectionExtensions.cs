using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure.Status;
using RemoteWrite.Core.Configuration;
using RemoteWrite.Core.Limits;
using RemoteWrite.Core.Pipeline;
using RemoteWrite.Core.Relabel;
using RemoteWrite.Hosting.Admission;
using RemoteWrite.Receiver.Security;

namespace RemoteWrite.Receiver;

public static class ReceiverServiceCollectionExtensions
{
    /// <summary>
    /// Registers the receive stage: limits (section <c>RemoteWrite</c>), answers (section
    /// <c>Receiver</c>), relabel rules (<c>RELABEL_CONFIG_FILE</c>), the preparer and metrics. The host registers the <see cref="IWriteSink"/>.
    /// </summary>
    public static IServiceCollection AddRemoteWriteReceiver(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WriteLimits>(configuration.GetSection(WriteLimits.SectionName));
        services.AddValidatedOptions<ReceiverOptions>(configuration.GetSection(ReceiverOptions.SectionName));
        services.AddValidatedOptions<RelabelOptions>(configuration.GetSection(RelabelOptions.SectionName))
            .Configure<IConfiguration>(RelabelOptions.ApplyEnvironment);
        services.TryAddSingleton(TimeProvider.System);
        // The series watch (active series, case collisions) of AddIngestionStatus; with both off the preparer gets none: the request path is as without them.
        services.TryAddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<WriteLimits>>().Value;
            return new WriteRequestPreparer(
                limits,
                sp.GetRequiredService<TimeProvider>(),
                relabel: sp.GetRequiredService<IOptions<RelabelOptions>>().Value.Rules,
                watch: limits.ActiveSeries || limits.CaseCollisions ? sp.GetService<SeriesWatch>() : null);
        });
        services.AddIngestionStatus(configuration);
        services.TryAddSingleton<ReceiverMetrics>();
        services.AddAdmissionControl(configuration);
        services.AddListenerSecurity(configuration);

        // Slow and oversized senders are refused by Kestrel itself, before any handler runs.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ReceiverOptions>>((kestrel, receiver) =>
        {
            // Kestrel is built with the WebApplication, before the start-up check prints the problems and
            // exits 1: an invalid value must reach that check, not end the process here (exit 134).
            ReceiverOptions o;
            try
            {
                o = receiver.Value;
            }
            catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
            {
                return;
            }

            kestrel.Limits.MaxRequestHeadersTotalSize = o.MaxRequestHeaderBytes;
            kestrel.Limits.RequestHeadersTimeout = o.HeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(o.MinBodyBytesPerSecond, o.MinBodyRateGracePeriod);
        });
        return services;
    }
}
