namespace RemoteWrite.SideBySide;

/// <summary>
/// One load, sent alike to every contender: <paramref name="Series"/> series of one sample per request
/// (BodyFactory's Kubernetes shape), remote-write <paramref name="Protocol"/>, new series in every request
/// when <paramref name="Churn"/>. <paramref name="Concurrency"/> requests in flight at saturation: chosen
/// so the relay's admission budget (64 MiB by default) admits them all; it holds one 50,000-series body
/// (1.1 MB, 14 MB decoded) at a time, and answers a second one 503 at once, which a client would retry
/// after Retry-After, not at once as a saturation round would.
/// </summary>
internal sealed record Workload(string Name, string ChartLabel, int Protocol, int Series, bool Churn, int Concurrency)
{
    /// <summary>The loads of a run; the headline is Prometheus' 2,000 samples per request.</summary>
    public static IReadOnlyList<Workload> For(bool isShort) => isShort
        ?
        [
            new("1.0, 2,000 series", "2k", 1, 2_000, false, 8),
            new("2.0, 2,000 series", "2k 2.0", 2, 2_000, false, 8),
        ]
        :
        [
            // Growing request size (the relay's memory from a larger load would count in a smaller one's peak), 2.0 among the 2,000s.
            new("1.0, 500 series", "500", 1, 500, false, 16),
            new("1.0, 2,000 series", "2k", 1, 2_000, false, 8),
            new("1.0, 2,000 new series every request", "2k churn", 1, 2_000, true, 8),
            new("2.0, 2,000 series", "2k 2.0", 2, 2_000, false, 8),
            new("1.0, 10,000 series", "10k", 1, 10_000, false, 4),
            new("1.0, 40,000 series", "40k", 1, 40_000, false, 2),
            new("1.0, 50,000 series: vmagent-size, over 1 MB", "50k", 1, 50_000, false, 1),
        ];

    /// <summary>Requests in flight at most at a fixed rate: enough that a slow answer never delays the next start.</summary>
    public const int FixedRateConcurrency = 64;

    /// <summary>
    /// Distinct bodies sent in turn: up to 16, fewer for large requests (making them is the slow part of a run).
    /// With churn, each holds new series and a round sends each once, so they bound the round.
    /// </summary>
    public int Bodies(bool isShort) => Churn ? (isShort ? 40 : 600) : Math.Clamp(80_000 / Series, 2, 16);
}
