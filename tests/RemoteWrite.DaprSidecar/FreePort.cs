using System.Net;
using System.Net.Sockets;

namespace RemoteWrite.DaprSidecar;

/// <summary>A loopback port nobody listens on now (a restarted child process needs the same port again).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
