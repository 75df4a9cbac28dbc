using System.Net;
using System.Net.Sockets;

namespace Pipeline.Infra.Tests.Support;

internal static class Ports
{
    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
