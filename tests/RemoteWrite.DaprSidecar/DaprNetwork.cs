using System.Collections.Concurrent;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// What the stand-ins share, as daprd instances share a cluster: name resolution of app ids to
/// sidecars (mDNS in self-hosted mode) and, for unit tests of the stand-in, one in-memory broker.
/// </summary>
public sealed class DaprNetwork(InMemoryBroker? broker = null)
{
    private readonly ConcurrentDictionary<string, DaprSidecarStandIn> _sidecars = new(StringComparer.Ordinal);

    /// <summary>
    /// The pub/sub of every sidecar without its own Redis component (<see cref="SidecarOptions.Redis"/>);
    /// null: such a sidecar loads no pub/sub, as a daprd outside the component's <c>scopes</c>.
    /// </summary>
    public InMemoryBroker? Broker { get; } = broker;

    internal void Register(DaprSidecarStandIn sidecar) => _sidecars[sidecar.Options.AppId] = sidecar;

    internal void Unregister(DaprSidecarStandIn sidecar) => _sidecars.TryRemove(new KeyValuePair<string, DaprSidecarStandIn>(sidecar.Options.AppId, sidecar));

    public bool TryResolve(string appId, out DaprSidecarStandIn sidecar) => _sidecars.TryGetValue(appId, out sidecar!);
}
