using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Core.Azure.Reporting;

/// <summary>How often the side car's line is written; section <c>PublishSummary</c>. A minute, as the side car.</summary>
public sealed class PublishSummaryOptions : IValidatedOptions
{
    public const string SectionName = "PublishSummary";

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Append retried messages and dropped samples to the line (the Dapr forwarder sets it).</summary>
    public bool WithDeliveryCounts { get; set; }

    public IEnumerable<string> Validate()
    {
        if (Interval <= TimeSpan.Zero)
        {
            yield return "PublishSummary:Interval must be positive.";
        }
    }
}
