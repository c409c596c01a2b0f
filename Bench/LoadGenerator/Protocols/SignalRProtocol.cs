using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Realtime.Bench.Protocols;

/// <summary>
/// SignalR's JSON hub protocol over a raw WebSocket, as its own clients speak it with negotiation skipped: the
/// handshake record, an invocation of the hub's <c>Subscribe</c> per symbol, pings every 15 s (the server drops a
/// client silent for 30 s), and <c>quote</c> invocations whose argument is the queued quote as the producer wrote it.
/// Records end with the 0x1E separator and one WebSocket message may hold several.
/// </summary>
public sealed class SignalRProtocol(Uri hub) : IBenchProtocol
{
    private const byte Separator = 0x1E;
    private static readonly byte[] QuotePrefix = "{\"type\":1,\"target\":\"quote\""u8.ToArray();
    private static readonly byte[] PriceProperty = "\"price\":"u8.ToArray();

    public string Name => "SignalR + Redis backplane";

    public Uri Endpoint(int client) => hub;

    public byte[]? Opening { get; } = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();

    public byte[]? KeepAlive { get; } = "{\"type\":6}\u001e"u8.ToArray();

    public TimeSpan KeepAliveInterval => TimeSpan.FromSeconds(15);

    public byte[] Subscribe(string symbol, int subscription) =>
        [.. JsonSerializer.SerializeToUtf8Bytes(new { type = 1, invocationId = subscription.ToString(), target = "Subscribe", arguments = new[] { symbol } }), Separator];

    public void Read(ReadOnlySpan<byte> message, IFrameSink sink)
    {
        while (!message.IsEmpty)
        {
            var end = message.IndexOf(Separator);
            var record = end < 0 ? message : message[..end];
            message = end < 0 ? [] : message[(end + 1)..];
            if (!record.IsEmpty)
            {
                ReadRecord(record, sink);
            }
        }
    }

    private static void ReadRecord(ReadOnlySpan<byte> record, IFrameSink sink)
    {
        if (record.StartsWith(QuotePrefix))
        {
            var at = record.IndexOf(PriceProperty);
            if (at >= 0 && Utf8Parser.TryParse(record[(at + PriceProperty.Length)..], out double price, out _))
            {
                sink.Update((long)price);
            }
            return;
        }
        using var document = JsonDocument.Parse(record.ToArray());
        var root = document.RootElement;
        if (!root.TryGetProperty("type", out var type))
        {
            // The handshake answer is the only record without a type: {} or {"error": "..."}.
            if (root.TryGetProperty("error", out var refused))
            {
                sink.Failed("handshake refused: " + refused.GetString());
            }
            else
            {
                sink.Ready();
            }
            return;
        }
        switch (type.GetInt32())
        {
            case 3 when root.TryGetProperty("error", out var error):
                sink.Failed("invocation failed: " + error.GetString());
                break;
            case 3:
                sink.Subscribed();
                break;
            case 7:
                sink.Failed("closed by the server: " + (root.TryGetProperty("error", out var reason) ? reason.GetString() : "no reason"));
                break;
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(Subscribe("SYMBOL", 1));
}
