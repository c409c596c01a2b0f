using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Realtime.Bench.Protocols;

/// <summary>
/// Socket.IO 4 as its own client speaks it over the WebSocket transport alone (engine.io protocol 4, Socket.IO
/// protocol 5), written out here so every server's clients cost the generator the same: one WebSocket message per
/// packet, each starting with the engine.io packet type ("0" open, "2" ping, "3" pong, "4" message) and, for a
/// message, the Socket.IO packet type ("0" connect, "2" event, "3" acknowledgement, "4" connect error, "1" disconnect)
/// and an optional acknowledgement id before the JSON array of the event's name and arguments. The client joins the
/// default namespace ("40"), asks for each symbol's room with an acknowledged <c>subscribe</c> event, answers the
/// server's pings (the server drops a client silent for pingInterval + pingTimeout) and reads <c>quote</c> events,
/// whose argument is the queued quote's <c>data</c> as the producer wrote it.
/// </summary>
public sealed class SocketIoProtocol(Uri server) : IBenchProtocol
{
    public const string ServerName = "Socket.IO + Redis adapter";

    private static readonly byte[] QuotePrefix = "42[\"quote\","u8.ToArray();
    private static readonly byte[] PriceProperty = "\"price\":"u8.ToArray();
    private static readonly byte[] Pong = "3"u8.ToArray();

    public string Name => ServerName;

    public Uri Endpoint(int client) => new UriBuilder(server) { Path = "/socket.io/", Query = "EIO=4&transport=websocket" }.Uri;

    /// <summary>Joins the default namespace at once: the engine.io session exists as soon as the WebSocket is open.</summary>
    public byte[]? Opening { get; } = "40"u8.ToArray();

    public byte[]? KeepAlive => null;

    public TimeSpan KeepAliveInterval => Timeout.InfiniteTimeSpan;

    /// <summary><c>42{id}["subscribe","SYMBOL"]</c>: an event with acknowledgement id <paramref name="subscription"/>.</summary>
    public byte[] Subscribe(string symbol, int subscription) =>
        [.. Encoding.ASCII.GetBytes("42" + subscription), .. JsonSerializer.SerializeToUtf8Bytes(new[] { "subscribe", symbol })];

    public void Read(ReadOnlySpan<byte> message, IFrameSink sink)
    {
        if (message.StartsWith(QuotePrefix))
        {
            var at = message.IndexOf(PriceProperty);
            if (at >= 0 && Utf8Parser.TryParse(message[(at + PriceProperty.Length)..], out double price, out _))
            {
                sink.Update((long)price);
            }
            return;
        }
        if (message.IsEmpty)
        {
            return;
        }
        switch ((char)message[0])
        {
            case '0':
                // The engine.io handshake ({"sid", "pingInterval", ...}); the namespace's answer is what counts.
                return;
            case '2':
                sink.Reply(Pong);
                return;
            case '1':
                sink.Failed("closed by the server (engine.io close)");
                return;
            case '4' when message.Length >= 2:
                ReadSocketIo(message[1..], sink);
                return;
        }
    }

    private static void ReadSocketIo(ReadOnlySpan<byte> packet, IFrameSink sink)
    {
        switch ((char)packet[0])
        {
            case '0':
                sink.Ready();
                break;
            case '3':
                sink.Subscribed();
                break;
            case '4':
                sink.Failed("connection refused: " + Encoding.UTF8.GetString(packet[1..]));
                break;
            case '1':
                sink.Failed("disconnected by the server");
                break;
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(Subscribe("SYMBOL", 1));
}
