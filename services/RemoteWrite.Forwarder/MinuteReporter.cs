using System.Globalization;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure;

namespace RemoteWrite.Forwarder;

/// <summary>
/// Every interval (a minute by default), writes the side car's line to stdout in its logrus text
/// format, which users check for non-zero averages (CONTRACT.md §3), and one warning per reason for
/// data dropped as invalid. Totals come from the shared <see cref="PublishStatistics"/>.
/// </summary>
public sealed partial class MinuteReporter(PublishStatistics statistics, InvalidDataReport invalid, IOptions<ForwarderOptions> options, TimeProvider time, ILogger<MinuteReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        while (await TickAsync(timer, stoppingToken))
        {
            Console.Out.WriteLine(Line(statistics.TakeSnapshot(), time.GetUtcNow()));
            foreach (var (reason, count) in invalid.Take())
            {
                LogInvalid(logger, count, reason);
            }
        }
    }

    private static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static string Line(PublishSnapshot s, DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"time=\"{now:yyyy-MM-ddTHH:mm:ssZ}\" level=info msg=\"Metric packets published in last 1 minute\" avgBytesPerRequest={s.AverageBytesPerRequest} avgRequestDurationInSec={s.AverageRequestSeconds:0.###} failedPublishing={s.Failed} successfullyPublished={s.Succeeded}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} deliveries in the last interval as never valid: {Reason}")]
    private static partial void LogInvalid(ILogger logger, int count, string reason);
}
