using RemoteWrite.Core.Azure;

namespace RemoteWrite.Standalone.Reporting;

/// <summary>Writes <see cref="PublishSummaryLine"/> once a minute, zeros included (the side car does too).</summary>
public sealed class PublishSummaryReporter(PublishStatistics statistics, PublishSummaryOutput output, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                output.WriteLine(PublishSummaryLine.Format(time.GetUtcNow(), statistics.TakeSnapshot()));
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
