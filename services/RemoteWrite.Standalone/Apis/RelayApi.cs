using RemoteWrite.Receiver.Apis;

namespace RemoteWrite.Standalone.Apis;

/// <summary>The relay's own endpoint: the side car's <c>POST /api/v1/write</c> (CONTRACT.md §3), from the shared receiver.</summary>
public static class RelayApi
{
    public static IEndpointRouteBuilder MapRelayApi(this IEndpointRouteBuilder app)
    {
        app.MapRemoteWriteApi();
        return app;
    }
}
