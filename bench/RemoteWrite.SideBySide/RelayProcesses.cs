using RemoteWrite.Testing;

namespace RemoteWrite.SideBySide;

/// <summary>
/// Fresh vmagent and relay processes for one load, so each load's peak RSS is its own (neither runtime
/// gives memory back soon, so a peak carried over from a larger load would hide a smaller one's).
/// </summary>
internal sealed class RelayProcesses : IDisposable
{
    public const string VmagentKey = "vmagent";
    public const string RelayKey = "relay";

    private readonly VmagentProcess? _vmagent;
    private readonly RelayChild _relay;

    private RelayProcesses(VmagentProcess? vmagent, RelayChild relay)
    {
        _vmagent = vmagent;
        _relay = relay;
        var relayContender = new Contender(Contender.Relay, new Uri(relay.Address, "/api/v1/write"), relay.Process.Pid, RelayKey, null, AcceptsV2: true, IsSink: false);
        Contenders = vmagent is null
            ? [relayContender]
            : [new Contender(Contender.Vmagent, vmagent.WriteUrl, vmagent.Pid, VmagentKey, null, AcceptsV2: false, IsSink: false), relayContender];
    }

    /// <summary>vmagent (when the load is one it takes), then the relay.</summary>
    public IReadOnlyList<Contender> Contenders { get; }

    /// <param name="entraAuthority">The local Azure stand-in, whose managed identity endpoint gives the relay its tokens.</param>
    public static async Task<RelayProcesses> StartAsync(CountingSink sink, Uri entraAuthority, string sinkToken, bool withVmagent)
    {
        var vmagent = withVmagent ? await VmagentProcess.StartAsync(sink.WriteUrl(VmagentKey).ToString(), sinkToken) : null;
        try
        {
            var relay = await RelayChild.StartAsync(new Dictionary<string, string?>
            {
                ["INGESTION_URL"] = sink.WriteUrl(RelayKey).ToString(),
                ["IDENTITY_TYPE"] = "systemAssigned",
                ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = entraAuthority.ToString().TrimEnd('/'),
            });
            return new RelayProcesses(vmagent, relay);
        }
        catch
        {
            vmagent?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _vmagent?.Dispose();
        _relay.Dispose();
    }
}
