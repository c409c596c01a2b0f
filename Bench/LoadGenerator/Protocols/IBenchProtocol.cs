namespace Realtime.Bench.Protocols;

/// <summary>
/// What differs between the servers for one client: where it connects, what it says, how it reads a message.
/// Everything else (sockets, timing, counting) is shared, so both servers are measured by the same code.
/// </summary>
public interface IBenchProtocol
{
    string Name { get; }

    /// <summary>The WebSocket address client number <paramref name="client"/> connects to.</summary>
    Uri Endpoint(int client);

    /// <summary>Sent as soon as the socket is open (SignalR's handshake); null when the server speaks first.</summary>
    byte[]? Opening { get; }

    /// <summary>Asks for live updates of <paramref name="symbol"/>; <paramref name="subscription"/> numbers them per client.</summary>
    byte[] Subscribe(string symbol, int subscription);

    /// <summary>Sent every <see cref="KeepAliveInterval"/> when the server drops clients that stay silent; null otherwise.</summary>
    byte[]? KeepAlive { get; }

    TimeSpan KeepAliveInterval { get; }

    /// <summary>WebSocket subprotocols the client offers in the handshake (ours: the compact form).</summary>
    IReadOnlyList<string> SubProtocols => [];

    /// <summary>Whether the client offers permessage-deflate, as browsers do.</summary>
    bool Deflate => false;

    /// <summary>
    /// Whether the clients count the TCP bytes they read (<see cref="Clients.WireBytes"/>): only the wire scenario
    /// asks, because a counting stream under every read costs the generator CPU the servers' scenarios share.
    /// </summary>
    bool CountsWireBytes => false;

    /// <summary>Reads one WebSocket message, which may hold several records, and reports each to <paramref name="sink"/>.</summary>
    void Read(ReadOnlySpan<byte> message, IFrameSink sink);
}
