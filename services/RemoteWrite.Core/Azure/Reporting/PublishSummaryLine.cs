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
    /// <param name="withDeliveryCounts">
    /// The Dapr forwarder appends <c>retriedMessages</c> (handed back to the broker) and
    /// <c>droppedSamples</c> (on purpose, by reason in <c>/metrics</c>) after the side car's keys, so
    /// parsers of the side car's line keep working; the standalone relay writes the side car's line exactly.
    /// </param>
    public static string Format(DateTimeOffset time, PublishSnapshot snapshot, bool withDeliveryCounts = false)
    {
        var seconds = Math.Round(snapshot.AverageRequestSeconds, 3, MidpointRounding.AwayFromZero);

        // A non-zero average never prints as 0: users read 0 as "nothing flows".
        if (seconds == 0 && snapshot.AverageRequestSeconds > 0)
        {
            seconds = 0.001;
        }

        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"time=\"{time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\" level=info msg=\"Metric packets published in last 1 minute\" avgBytesPerRequest={snapshot.AverageBytesPerRequest} avgRequestDurationInSec={seconds:0.###} failedPublishing={snapshot.Failed} successfullyPublished={snapshot.Succeeded}");
        return withDeliveryCounts
            ? line + string.Create(CultureInfo.InvariantCulture, $" retriedMessages={snapshot.Retried} droppedSamples={snapshot.Dropped}")
            : line;
    }
}
