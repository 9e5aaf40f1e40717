using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests.Infrastructure;

/// <summary>
/// The ingress process alone behind its daprd stand-in, publishing to an in-memory broker: what the
/// ingress-only tests start (relabel, destinations, write authentication, malformed input).
/// </summary>
internal sealed class LoneIngress : IAsyncDisposable
{
    private LoneIngress(DaprSidecarStandIn sidecar, ServiceProcess process)
    {
        Sidecar = sidecar;
        Process = process;
    }

    public DaprSidecarStandIn Sidecar { get; }

    public ServiceProcess Process { get; }

    public Uri WriteUrl(string path = "/api/v1/write") => new(Process.Address, path);

    /// <summary>Starts the sidecar and the ingress with <paramref name="settings"/>; <paramref name="waitReady"/> defaults to <c>/ready</c> within 60 s.</summary>
    public static async Task<LoneIngress> StartAsync(
        InMemoryBroker broker,
        IReadOnlyDictionary<string, string> settings,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>? secretStores = null,
        bool mtls = true,
        Func<ServiceProcess, Task>? waitReady = null)
    {
        var port = FreePort.Next();
        var sidecar = await DaprSidecarStandIn.StartAsync(new SidecarOptions
        {
            AppId = DaprNames.IngressAppId,
            AppAddress = new Uri($"http://127.0.0.1:{port}"),
            DaprApiToken = DaprStack.Secret(),
            MtlsEnabled = mtls,
            SecretStores = secretStores ?? new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>(),
        }, new DaprNetwork(broker));
        var process = DaprStack.DaprApp("RemoteWrite.Ingress", port, DaprStack.With(sidecar.AppEnvironment, settings));
        var ingress = new LoneIngress(sidecar, process);
        try
        {
            process.Start();
            await (waitReady ?? (p => p.WaitUntilAsync("/ready", TimeSpan.FromSeconds(60))))(process);
            return ingress;
        }
        catch
        {
            await ingress.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Process.Dispose();
        await Sidecar.DisposeAsync();
    }
}
