using RemoteWrite.Core.Configuration;

namespace RemoteWrite.Core.Limits;

/// <summary>
/// The Azure Monitor workspace limits the relay measures its volume against; section
/// <c>WorkspaceLimits</c>. Defaults are Azure's: 1,000,000 active series and 1,000,000 events per
/// minute per workspace (CONTRACT.md §2); raise them when Azure raised yours.
/// </summary>
public sealed class WorkspaceLimits : IValidatedOptions
{
    public const string SectionName = "WorkspaceLimits";

    public long ActiveSeries { get; set; } = 1_000_000;

    public long EventsPerMinute { get; set; } = 1_000_000;

    public IEnumerable<string> Validate()
    {
        if (ActiveSeries < 1 || EventsPerMinute < 1)
        {
            yield return $"WorkspaceLimits__ActiveSeries and WorkspaceLimits__EventsPerMinute must be positive (are {ActiveSeries} and {EventsPerMinute}).";
        }
    }
}
