namespace RemoteWrite.Core.Azure.Reporting;

/// <summary>Where the per-minute line goes: stdout as a plain line (not a JSON log event), as the side car wrote it.</summary>
public sealed class PublishSummaryOutput(TextWriter writer)
{
    public void WriteLine(string line)
    {
        writer.WriteLine(line);
        writer.Flush();
    }
}
