using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// One stand-in daprd for one app: a real Kestrel host on loopback with an HTTP/2 cleartext
/// listener for the gRPC API and an HTTP/1.1 listener for the HTTP API, as the SDK expects
/// (<c>DAPR_GRPC_ENDPOINT</c>, <c>DAPR_HTTP_ENDPOINT</c>; src/Dapr.Common/DaprDefaults.cs).
/// </summary>
public sealed class DaprSidecarStandIn : IAsyncDisposable
{
    private readonly WebApplication _host;

    private DaprSidecarStandIn(SidecarOptions options, DaprNetwork network, WebApplication host, int grpcPort, int httpPort)
    {
        Options = options;
        Network = network;
        _host = host;
        Runtime = host.Services.GetRequiredService<SidecarRuntime>();
        GrpcEndpoint = new Uri($"http://127.0.0.1:{grpcPort}");
        HttpEndpoint = new Uri($"http://127.0.0.1:{httpPort}");
    }

    public SidecarOptions Options { get; }

    public DaprNetwork Network { get; }

    public SidecarRuntime Runtime { get; }

    public Uri GrpcEndpoint { get; }

    public Uri HttpEndpoint { get; }

    /// <summary>The environment daprd gives its app: where the sidecar is, and the tokens.</summary>
    public IReadOnlyDictionary<string, string> AppEnvironment
    {
        get
        {
            var env = new Dictionary<string, string>
            {
                ["DAPR_GRPC_ENDPOINT"] = GrpcEndpoint.ToString().TrimEnd('/'),
                ["DAPR_HTTP_ENDPOINT"] = HttpEndpoint.ToString().TrimEnd('/'),
                ["APP_ID"] = Options.AppId,
            };
            if (Options.DaprApiToken is { } api)
            {
                env["DAPR_API_TOKEN"] = api;
            }

            if (Options.AppApiToken is { } app)
            {
                env["APP_API_TOKEN"] = app;
            }

            return env;
        }
    }

    public static async Task<DaprSidecarStandIn> StartAsync(SidecarOptions options, DaprNetwork network, CancellationToken cancellationToken = default)
    {
        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            k.Listen(IPAddress.Loopback, grpcPort, l => l.Protocols = HttpProtocols.Http2);
            k.Listen(IPAddress.Loopback, httpPort, l => l.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 16 * 1024 * 1024);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(network);
        builder.Services.AddSingleton<SidecarRuntime>();
        builder.Services.AddHostedService<SubscriptionDeliverer>();
        var app = builder.Build();
        app.MapGrpcService<DaprGrpcService>();
        app.MapSidecarHttpApi();
        var sidecar = new DaprSidecarStandIn(options, network, app, grpcPort, httpPort);
        network.Register(sidecar);
        await app.StartAsync(cancellationToken);
        return sidecar;
    }

    public async ValueTask DisposeAsync()
    {
        Network.Unregister(this);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _host.StopAsync(timeout.Token);
        await _host.DisposeAsync();
    }
}
