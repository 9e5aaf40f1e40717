using Microsoft.Extensions.Logging;

namespace RemoteWrite.Core.Azure;

/// <summary>
/// The log while Azure Monitor fails: one warning at the first failure and then at most one per
/// <see cref="Interval"/>, with the count, the last status and Azure's reason, and one line when it
/// accepts data again. An outage of hours writes a few hundred lines, not one per request.
/// </summary>
public sealed partial class SendFailureLog(TimeProvider time, ILogger<SendFailureLog> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private long _failuresSinceWarning;
    private long _failuresInOutage;
    private DateTimeOffset? _lastWarning;

    /// <summary>One send that will be tried again (status 0: no answer or no token).</summary>
    public void Failed(int status, string reason)
    {
        long count;
        lock (_gate)
        {
            _failuresSinceWarning++;
            _failuresInOutage++;
            var now = time.GetUtcNow();
            if (_lastWarning is { } last && now - last < Interval)
            {
                return;
            }

            _lastWarning = now;
            count = _failuresSinceWarning;
            _failuresSinceWarning = 0;
        }

        LogFailing(logger, count, status, reason);
    }

    /// <summary>A send succeeded: ends an outage, if one was logged.</summary>
    public void Recovered()
    {
        if (Volatile.Read(ref _failuresInOutage) == 0)
        {
            return;
        }

        long failed;
        lock (_gate)
        {
            failed = _failuresInOutage;
            _failuresInOutage = 0;
            _failuresSinceWarning = 0;
            _lastWarning = null;
        }

        if (failed > 0)
        {
            LogRecovered(logger, failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure Monitor is failing: {Count} sends failed since the last warning, the last answered {Status}: {Reason}. The data is kept and sent again.")]
    private static partial void LogFailing(ILogger logger, long count, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azure Monitor accepts data again after {Count} failed sends")]
    private static partial void LogRecovered(ILogger logger, long count);
}
