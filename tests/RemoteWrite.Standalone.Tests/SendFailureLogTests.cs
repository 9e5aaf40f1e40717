using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RemoteWrite.Core.Azure;

using RemoteWrite.Standalone.Tests.Infrastructure;

namespace RemoteWrite.Standalone.Tests;

/// <summary>While Azure fails the log gets a warning at once and then at most one per interval, with the count, status and reason; one line when it recovers.</summary>
public sealed class SendFailureLogTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CapturingLogger<SendFailureLog> _logger = new();

    [Fact]
    public void An_outage_writes_one_warning_per_interval_with_the_count_status_and_reason_then_one_recovery_line()
    {
        var log = new SendFailureLog(_time, _logger);

        log.Failed(503, "Service Unavailable: ingestion is down");
        for (var i = 0; i < 1000; i++)
        {
            log.Failed(503, "Service Unavailable: ingestion is down");
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        log.Recovered();
        log.Recovered();

        var warnings = _logger.Lines.Where(l => l.Level == LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count); // 50 s of failures: the first at once, the next 30 s later
        Assert.Contains("503", warnings[0].Text);
        Assert.Contains("ingestion is down", warnings[0].Text);
        var recovered = Assert.Single(_logger.Lines, l => l.Level == LogLevel.Information);
        Assert.Contains("1001 failed sends", recovered.Text);
    }

    [Fact]
    public void Success_without_failures_writes_nothing()
    {
        var log = new SendFailureLog(_time, _logger);

        log.Recovered();

        Assert.Empty(_logger.Lines);
    }
}
