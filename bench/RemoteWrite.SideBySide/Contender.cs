namespace RemoteWrite.SideBySide;

/// <summary>
/// Where a load goes: a relay (its process is measured) or, for the latency baseline, the sink itself.
/// Each writes to its own path at the sink (<paramref name="SinkKey"/>), so the sink counts each one's samples apart.
/// <paramref name="Pid"/> is the process whose CPU is measured (0: none, the sink runs in this process).
/// </summary>
internal sealed record Contender(string Name, Uri WriteUrl, int Pid, string SinkKey, string? BearerToken, bool AcceptsV2, bool IsSink)
{
    public const string Vmagent = "vmagent 1.79";
    public const string Relay = "standalone relay";
    public const string Sink = "sink alone (direct)";
}
