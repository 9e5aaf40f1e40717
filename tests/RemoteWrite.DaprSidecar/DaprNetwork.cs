using System.Collections.Concurrent;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// What the stand-ins share, as daprd instances share a cluster: the broker behind the pub/sub
/// component and name resolution of app ids to sidecars (mDNS in self-hosted mode).
/// </summary>
public sealed class DaprNetwork(InMemoryBroker broker)
{
    private readonly ConcurrentDictionary<string, DaprSidecarStandIn> _sidecars = new(StringComparer.Ordinal);

    public InMemoryBroker Broker { get; } = broker;

    internal void Register(DaprSidecarStandIn sidecar) => _sidecars[sidecar.Options.AppId] = sidecar;

    internal void Unregister(DaprSidecarStandIn sidecar) => _sidecars.TryRemove(new KeyValuePair<string, DaprSidecarStandIn>(sidecar.Options.AppId, sidecar));

    public bool TryResolve(string appId, out DaprSidecarStandIn sidecar) => _sidecars.TryGetValue(appId, out sidecar!);
}
