using RemoteWrite.Testing;

namespace RemoteWrite.SideBySide;

/// <summary>
/// The processes measured: one relay for the whole run (its JIT tiers up once, as in a long-running deployment) and a
/// fresh vmagent for each load it takes (no JIT to warm, and its memory from a larger load does not hide a smaller
/// one's peak).
/// </summary>
internal static class RelayProcesses
{
    public const string VmagentKey = "vmagent";
    public const string RelayKey = "relay";

    /// <param name="entraAuthority">The local Azure stand-in, whose managed identity endpoint gives the relay its tokens.</param>
    /// <param name="relayEnvironment">Over the relay's settings below.</param>
    public static async Task<(RelayChild Process, Contender Contender)> StartRelayAsync(CountingSink sink, Uri entraAuthority, IReadOnlyDictionary<string, string> relayEnvironment)
    {
        var environment = new Dictionary<string, string?>
        {
            ["INGESTION_URL"] = sink.WriteUrl(RelayKey).ToString(),
            ["IDENTITY_TYPE"] = "systemAssigned",
            ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = entraAuthority.ToString().TrimEnd('/'),
        };
        foreach (var (name, value) in relayEnvironment)
        {
            environment[name] = value;
        }

        var relay = await RelayChild.StartAsync(environment);
        return (relay, new Contender(Contender.Relay, new Uri(relay.Address, "/api/v1/write"), relay.Process.Pid, RelayKey, null, AcceptsV2: true, IsSink: false));
    }

    public static async Task<(VmagentProcess Process, Contender Contender)> StartVmagentAsync(CountingSink sink, string sinkToken)
    {
        var vmagent = await VmagentProcess.StartAsync(sink.WriteUrl(VmagentKey).ToString(), sinkToken);
        return (vmagent, new Contender(Contender.Vmagent, vmagent.WriteUrl, vmagent.Pid, VmagentKey, null, AcceptsV2: false, IsSink: false));
    }
}
