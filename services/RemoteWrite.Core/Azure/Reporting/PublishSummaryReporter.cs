using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RemoteWrite.Core.Azure.Reporting;

/// <summary>
/// Writes <see cref="PublishSummaryLine"/> every interval (a minute), zeros included (the side car
/// does too). Shared by the standalone relay and the Dapr forwarder: whoever posts to Azure reports.
/// </summary>
public sealed class PublishSummaryReporter(PublishStatistics statistics, PublishSummaryOutput output, TimeProvider time, IOptions<PublishSummaryOptions>? options = null) : BackgroundService
{
    private PeriodicTimer? _timer;

    public TimeSpan Interval { get; } = options?.Value.Interval ?? TimeSpan.FromMinutes(1);

    private readonly bool _withDeliveryCounts = options?.Value.WithDeliveryCounts ?? false;

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
                output.WriteLine(PublishSummaryLine.Format(time.GetUtcNow(), statistics.TakeSnapshot(), _withDeliveryCounts));
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
