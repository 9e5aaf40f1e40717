using System.Globalization;
using RemoteWrite.Core.Azure;

namespace RemoteWrite.Core.Azure.Reporting;

/// <summary>
/// The side car's per-minute line, same keys, order and logrus text format (CONTRACT.md §3), so
/// the checks users already run ("avgBytesPerRequest and avgRequestDurationInSec are non-zero") keep working:
/// <c>time="2022-11-02T21:32:59Z" level=info msg="Metric packets published in last 1 minute" avgBytesPerRequest=19713 avgRequestDurationInSec=0.023 failedPublishing=0 successfullyPublished=122</c>
/// </summary>
public static class PublishSummaryLine
{
    public static string Format(DateTimeOffset time, PublishSnapshot snapshot)
    {
        var seconds = Math.Round(snapshot.AverageRequestSeconds, 3, MidpointRounding.AwayFromZero);

        // A non-zero average never prints as 0: users read 0 as "nothing flows".
        if (seconds == 0 && snapshot.AverageRequestSeconds > 0)
        {
            seconds = 0.001;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"time=\"{time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\" level=info msg=\"Metric packets published in last 1 minute\" avgBytesPerRequest={snapshot.AverageBytesPerRequest} avgRequestDurationInSec={seconds:0.###} failedPublishing={snapshot.Failed} successfullyPublished={snapshot.Succeeded}");
    }
}
