using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Replication.Sdk.Tests.TestSupport;

/// <summary>
/// An HTTPS server on 127.0.0.1 that counts TLS handshakes and records every application byte it reads after one
/// completes, then answers 404 and closes. A client that refuses the certificate sends no application byte.
/// </summary>
internal sealed class TlsLoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslStreamCertificateContext _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<byte[]> _received = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<Task> _connections = new();
    private int _handshakes;

    public TlsLoopbackServer(X509Certificate2 leaf, X509Certificate2Collection chain)
    {
        _certificate = SslStreamCertificateContext.Create(leaf, chain, offline: true);
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Gets the number of TLS handshakes started (one per connection).</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    /// <summary>Completes when every connection so far has been served or dropped, so what was sent has been read.</summary>
    /// <returns>A task that completes when the connections are closed.</returns>
    public Task ConnectionsClosedAsync() => Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Gets every application byte read, as text.</summary>
    public string ApplicationText => Encoding.UTF8.GetString(_received.SelectMany(b => b).ToArray());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop with one of these.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _connections.Enqueue(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        Interlocked.Increment(ref _handshakes);
        await using var ssl = new SslStream(client.GetStream());
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = _certificate }, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            // The client refused the certificate (an alert) or hung up.
            return;
        }

        try
        {
            // With TLS 1.3 the server's side may complete before the client has judged the certificate; a client that
            // refuses it then closes without sending, and this read ends with nothing recorded.
            await ReadRequestAsync(ssl);
            const string body = """{"error":"tls fixture answers 404"}""";
            var response = $"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
            await ssl.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
            await ssl.FlushAsync(_stop.Token);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            // The client went away mid-request; what was read is recorded.
        }
    }

    /// <summary>Reads the head and a Content-Length body, recording every byte.</summary>
    private async Task ReadRequestAsync(SslStream ssl)
    {
        var buffer = new byte[8192];
        var all = new List<byte>();
        int? total = null;
        while (total is null || all.Count < total)
        {
            var read = await ssl.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            _received.Enqueue(buffer[..read]);
            all.AddRange(buffer.AsSpan(0, read));
            var text = Encoding.ASCII.GetString(all.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (total is null && end >= 0)
            {
                var length = text[..end].Split("\r\n").Select(l => l.Split(':', 2)).FirstOrDefault(p => p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase));
                total = end + 4 + (length is null ? 0 : int.Parse(length[1].Trim(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
