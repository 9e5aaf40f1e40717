using System.Globalization;
using Microsoft.Extensions.Options;
using RemoteWrite.Core.Azure.Reporting;

namespace RemoteWrite.Forwarder.Lag;

/// <summary>
/// A lag line beside the side car's per-minute line, every <see cref="ForwarderOptions.ReportInterval"/>,
/// same logfmt shape: <c>time="…" level=info msg="Forwarder lag" oldestSampleAgeSec=4.2 brokerPending=120 brokerUnread=0 streamLength=5000</c>
/// (broker fields only when <see cref="LagOptions.RedisAddress"/> is set).
/// </summary>
public sealed class LagReporter(DeliveryLag lag, BrokerBacklog backlog, PublishSummaryOutput output, IOptions<ForwarderOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                output.WriteLine(Format(time.GetUtcNow()));
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public string Format(DateTimeOffset now)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"time=\"{now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\" level=info msg=\"Forwarder lag\" oldestSampleAgeSec={lag.OldestSampleAge().TotalSeconds:0.###}");
        if (backlog.Enabled)
        {
            var (pending, unread, length) = backlog.Last;
            line += string.Create(CultureInfo.InvariantCulture, $" brokerPending={pending} brokerUnread={unread} streamLength={length}");
        }

        return line;
    }
}
