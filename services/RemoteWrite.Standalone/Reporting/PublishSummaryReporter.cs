using RemoteWrite.Core.Azure;

namespace RemoteWrite.Standalone.Reporting;

/// <summary>Writes <see cref="PublishSummaryLine"/> once a minute, zeros included (the side car does too).</summary>
public sealed class PublishSummaryReporter(PublishStatistics statistics, PublishSummaryOutput output, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private PeriodicTimer? _timer;

    // The minute starts when the host starts, not whenever the background task gets a thread.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = new PeriodicTimer(Interval, time);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer!.WaitForNextTickAsync(stoppingToken))
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
