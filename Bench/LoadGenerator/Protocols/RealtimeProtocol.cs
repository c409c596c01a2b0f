using System.Text;
using System.Text.Json;
using Realtime.Bench.Sessions;

namespace Realtime.Bench.Protocols;

/// <summary>
/// Our wire protocol (docs/protocol.md): log in with a Django session id, open one dynamic chart per symbol, read
/// chart updates. An update carries bars, not the quote, so the quote is recognised by the close of the last bar: the
/// generator gives every quote a unique price, its sequence number. By default it speaks the compact form (1.13), as
/// our browser library does; <see cref="RealtimeForm.Json"/> measures the JSON form that older clients get.
/// </summary>
public sealed class RealtimeProtocol(Uri gateway, string period = "1m", params string[] indicators) : IBenchProtocol
{
    // Both constants are the server's own: Gateway/Compact/CompactProtocol.cs.
    public const string CompactSubProtocol = "rt.compact.v2";
    public const string ServerName = "Realtime.Orleans";

    private static readonly byte[] UpdatePrefix = "{\"type\":\"chart.update\""u8.ToArray();
    private static readonly byte[] BarsProperty = "\"bars\":"u8.ToArray();
    private const int CloseIndex = 4;

    /// <summary>Which form of the protocol the clients ask for.</summary>
    public RealtimeForm Form { get; init; } = RealtimeForm.Compact;

    /// <summary>Whether the clients offer permessage-deflate (the gateway uses it only with Gateway:PermessageDeflate).</summary>
    public bool Deflate { get; init; }

    public bool CountsWireBytes { get; init; }

    /// <summary>The server's name, with the form and compression when they are not the browser library's defaults.</summary>
    public string Name => ServerName + (Form == RealtimeForm.Json ? " (JSON form)" : "") + (Deflate ? " + deflate" : "");

    public IReadOnlyList<string> SubProtocols => Form == RealtimeForm.Compact ? [CompactSubProtocol] : [];

    /// <summary>The number of this protocol's client 0 among all clients of a run spread over several generators.</summary>
    public int FirstClient { get; init; }

    public Uri Endpoint(int client) =>
        new UriBuilder(gateway) { Path = "/ws", Query = "sessionid=" + DjangoSessionWriter.SessionKey(FirstClient + client) }.Uri;

    public byte[]? Opening => null;

    public byte[]? KeepAlive => null;

    public TimeSpan KeepAliveInterval => Timeout.InfiniteTimeSpan;

    public byte[] Subscribe(string symbol, int subscription) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        type = "mychart",
        id = subscription,
        data = new { action = "open", chartId = "c" + subscription, symbol, period, mode = "dynamic", indicators, count = 50 },
    });

    public void Read(ReadOnlySpan<byte> message, IFrameSink sink)
    {
        // A compact update is the only message that is an array: [handle, seq, rows, ...].
        if (message.Length > 0 && message[0] == (byte)'[')
        {
            if (TryReadLastClose(message, rowsDepth: 1, out var compactClose))
            {
                sink.Update((long)compactClose);
            }
            return;
        }
        // Updates are nearly every frame, so they skip the DOM; the server always writes "type" first.
        if (message.StartsWith(UpdatePrefix))
        {
            var at = message.IndexOf(BarsProperty);
            // The slice is not a whole JSON document, so the reader stops as soon as the bars array ends.
            if (at >= 0 && TryReadLastClose(message[(at + BarsProperty.Length)..], rowsDepth: 0, out var close))
            {
                sink.Update((long)close);
            }
            return;
        }
        using var document = JsonDocument.Parse(message.ToArray());
        var root = document.RootElement;
        switch (root.GetProperty("type").GetString())
        {
            case "welcome":
                sink.Ready();
                break;
            case "chart.snapshot":
                sink.Subscribed();
                break;
            case "error":
                var error = root.GetProperty("data");
                sink.Failed($"error {error.GetProperty("code").GetString()}: {error.GetProperty("message").GetString()}");
                break;
        }
    }

    /// <summary>
    /// The close of the last bar of the rows array that opens at depth <paramref name="rowsDepth"/> (<c>data.bars</c>
    /// of the JSON form, or position 2 of a compact update), each row <c>[time, open, high, low, close, ...]</c>.
    /// </summary>
    private static bool TryReadLastClose(ReadOnlySpan<byte> json, int rowsDepth, out double close)
    {
        close = 0;
        var reader = new Utf8JsonReader(json, isFinalBlock: false, default);
        var index = -1;
        var found = false;
        var inRows = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray when reader.CurrentDepth == rowsDepth:
                    inRows = true;
                    break;
                case JsonTokenType.StartArray when inRows && reader.CurrentDepth == rowsDepth + 1:
                    index = 0;
                    break;
                case JsonTokenType.Number when inRows && reader.CurrentDepth == rowsDepth + 2:
                    if (index++ == CloseIndex)
                    {
                        close = reader.GetDouble();
                        found = true;
                    }
                    break;
                case JsonTokenType.EndArray when inRows && reader.CurrentDepth == rowsDepth:
                    return found;
            }
        }
        return false;
    }

    public override string ToString() => Encoding.UTF8.GetString(Subscribe("SYMBOL", 1));
}
