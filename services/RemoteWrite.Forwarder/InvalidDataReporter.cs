using Microsoft.Extensions.Options;

namespace RemoteWrite.Forwarder;

/// <summary>
/// Once per interval (a minute), one warning per reason for deliveries dropped as never valid:
/// the reasons are counted as they happen (<see cref="InvalidDataReport"/>) and logged here, so a
/// stream of bad data cannot flood the log.
/// </summary>
public sealed partial class InvalidDataReporter(InvalidDataReport invalid, IOptions<ForwarderOptions> options, TimeProvider time, ILogger<InvalidDataReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (reason, count) in invalid.Take())
                {
                    LogInvalid(logger, count, reason);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} deliveries in the last interval as never valid: {Reason}")]
    private static partial void LogInvalid(ILogger logger, int count, string reason);
}
