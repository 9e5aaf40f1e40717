namespace RemoteWrite.SideBySide;

/// <summary>A run's rows and the facts a reader needs to weigh them: machine, load average, rounds, commit.</summary>
internal sealed record BenchReport(
    BenchOptions Options,
    IReadOnlyList<Figures> Rows,
    MachineFacts Machine,
    string LoadAverageAtStart,
    string LoadAverageAtEnd,
    DateTimeOffset StartedUtc,
    TimeSpan Duration,
    string Commit)
{
    /// <summary>The vmagent row of the same load, which ratios are taken against.</summary>
    public Figures? VmagentOf(Workload workload) =>
        Rows.FirstOrDefault(r => r.Workload == workload && r.Contender == Contender.Vmagent);
}
