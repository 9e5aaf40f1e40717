using System.Net;
using System.Net.Sockets;

namespace RemoteWrite.Testing;

/// <summary>A loopback port nobody listens on now (a restarted child process needs the same port again, so no port 0).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
