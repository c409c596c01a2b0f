using System.Net;
using System.Net.Sockets;

namespace Realtime.Bench.Clients;

/// <summary>
/// HTTP handlers whose sockets leave from 127.0.0.2, 127.0.0.3, ...: each source address has its own ~28,000
/// ephemeral ports, so tens of thousands of clients can reach one server port. All of 127.0.0.0/8 is loopback on
/// Linux, so nothing leaves the machine.
/// </summary>
public sealed class LoopbackSources : IDisposable
{
    public const int ClientsPerAddress = 10_000;

    // Linux's IP_BIND_ADDRESS_NO_PORT (linux/in.h) at level SOL_IP.
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;

    private readonly HttpMessageInvoker[] _invokers;

    public LoopbackSources(int clients, bool countWireBytes = false)
    {
        var addresses = Math.Clamp((clients + ClientsPerAddress - 1) / ClientsPerAddress, 1, 250);
        _invokers = [.. Enumerable.Range(0, addresses).Select(i => new HttpMessageInvoker(Handler(new IPAddress([127, 0, 0, (byte)(2 + i)]), countWireBytes)))];
    }

    /// <summary>The invoker client number <paramref name="client"/> connects with.</summary>
    public HttpMessageInvoker For(int client) => _invokers[client % _invokers.Length];

    private static SocketsHttpHandler Handler(IPAddress local, bool countWireBytes) => new()
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (OperatingSystem.IsLinux())
                {
                    // The port is then chosen at connect, for the whole address pair: several generators (Bench/scale.sh)
                    // share the source addresses, each towards its own gateway, without running out of ports at bind.
                    socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                }
                socket.Bind(new IPEndPoint(local, 0));
                var host = context.DnsEndPoint;
                EndPoint remote = IPAddress.TryParse(host.Host, out var ip) ? new IPEndPoint(ip, host.Port) : host;
                await socket.ConnectAsync(remote, cancellationToken);
                var stream = new NetworkStream(socket, ownsSocket: true);
                return countWireBytes ? WireBytes.Counting(stream) : stream;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public void Dispose()
    {
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
    }
}
