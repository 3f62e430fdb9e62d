using System.Net;
using System.Net.Sockets;

namespace Platform.ServiceDefaults.Tests.Messaging;

/// <summary>
/// A TCP relay between a service and the broker whose connections a test can cut at once, as a node loss drops
/// them: the service sees its socket reset and reconnects through the relay.
/// </summary>
internal sealed class CuttableLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(TcpClient Client, TcpClient Upstream)> _links = [];
    private readonly Task _accepting;

    private CuttableLink(Uri virtualHost)
    {
        _target = new IPEndPoint(IPAddress.Loopback, virtualHost.Port);
        _listener.Start();
        Uri = new UriBuilder(virtualHost) { Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri;
        _accepting = AcceptAsync();
    }

    /// <summary>Relays to the broker of <paramref name="virtualHost"/> (on this machine).</summary>
    public static CuttableLink To(Uri virtualHost) => new(virtualHost);

    /// <summary>The virtual host's address through the relay.</summary>
    public Uri Uri { get; }

    /// <summary>Resets every connection relayed so far; returns how many.</summary>
    public int Cut()
    {
        lock (_links)
        {
            foreach (var (client, upstream) in _links)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST, not an orderly close
                client.Dispose();
                upstream.Dispose();
            }
            var count = _links.Count;
            _links.Clear();
            return count;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(_target, _stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }
            lock (_links) _links.Add((client, upstream));
            _ = PumpAsync(client.GetStream(), upstream.GetStream());
            _ = PumpAsync(upstream.GetStream(), client.GetStream());
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, _stopping.Token);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // Cut, or the relay is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stopping.Dispose();
    }
}
