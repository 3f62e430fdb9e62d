using System.Net;
using System.Net.Sockets;

namespace Platform.Hosting;

public static class FreePort
{
    // Below Linux's ephemeral range (32768–60999): a port the OS hands out for port 0 is also what it hands to
    // the next outgoing connection, so between "pick" and the server's own bind someone else could take it.
    private const int LowestPort = 20000;
    private const int HighestPort = 32700;
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// A TCP port on 127.0.0.1 that nothing listens on right now, chosen at random outside the ephemeral range,
    /// and never the same twice in this process (servers bind their ports later).
    /// </summary>
    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(LowestPort, HighestPort);
                if (!Given.Contains(port) && !IsInUse(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }
        throw new InvalidOperationException($"No free TCP port between {LowestPort} and {HighestPort} on 127.0.0.1.");
    }

    /// <summary>True when something already listens on the port.</summary>
    public static bool IsInUse(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
