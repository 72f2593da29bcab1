using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of the database, so a test can cut the connection for real: <see cref="Outage"/> resets
/// every open connection and refuses the next few, as a database restart or network blip does.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _open = new();
    private readonly Task _accepting;
    private int _refuse;
    private int _refused;
    private int _reset;

    public TcpProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Refused => Volatile.Read(ref _refused);

    public int Reset => Volatile.Read(ref _reset);

    /// <summary>Resets every open connection and refuses the next <paramref name="refuseNext"/> connection attempts.</summary>
    public void Outage(int refuseNext)
    {
        Volatile.Write(ref _refuse, refuseNext);
        foreach (var (client, upstream) in _open)
        {
            Interlocked.Increment(ref _reset);
            client.Client.LingerState = new LingerOption(true, 0);   // RST, not a clean FIN
            client.Dispose();
            upstream.Dispose();
            _open.TryRemove(client, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        Outage(0);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (Interlocked.Decrement(ref _refuse) >= 0)
            {
                Interlocked.Increment(ref _refused);
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            Interlocked.Exchange(ref _refuse, 0);
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            _open[client] = upstream;
            _ = RelayAsync(client, upstream);
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient upstream)
    {
        try
        {
            using var relay = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var a = client.GetStream().CopyToAsync(upstream.GetStream(), relay.Token);
            var b = upstream.GetStream().CopyToAsync(client.GetStream(), relay.Token);
            await Task.WhenAny(a, b);
            await relay.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException or OperationCanceledException)
        {
            // The outage, or a normal close.
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
            upstream.Dispose();
        }
    }
}
