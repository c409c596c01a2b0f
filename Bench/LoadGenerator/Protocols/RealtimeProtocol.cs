using System.Text;
using System.Text.Json;
using Realtime.Bench.Sessions;

namespace Realtime.Bench.Protocols;

/// <summary>
/// Our wire protocol (docs/protocol.md): log in with a Django session id, open one dynamic chart per symbol, read
/// <c>chart.update</c> frames. An update carries bars, not the quote, so the quote is recognised by the close of
/// the last bar: the generator gives every quote a unique price, its sequence number.
/// </summary>
public sealed class RealtimeProtocol(Uri gateway, string period = "1m", params string[] indicators) : IBenchProtocol
{
    private static readonly byte[] UpdatePrefix = "{\"type\":\"chart.update\""u8.ToArray();
    private static readonly byte[] BarsProperty = "\"bars\":"u8.ToArray();
    private const int CloseIndex = 4;

    public string Name => "Realtime.Orleans";

    public Uri Endpoint(int client) =>
        new UriBuilder(gateway) { Path = "/ws", Query = "sessionid=" + DjangoSessionWriter.SessionKey(client) }.Uri;

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
        // Updates are nearly every frame, so they skip the DOM; the server always writes "type" first.
        if (message.StartsWith(UpdatePrefix))
        {
            if (TryReadLastClose(message, out var close))
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

    /// <summary>The close of the last bar in <c>data.bars</c> ([time, open, high, low, close, volume] each).</summary>
    private static bool TryReadLastClose(ReadOnlySpan<byte> message, out double close)
    {
        close = 0;
        var at = message.IndexOf(BarsProperty);
        if (at < 0)
        {
            return false;
        }
        // The slice is not a whole JSON document, so the reader stops as soon as the bars array ends.
        var reader = new Utf8JsonReader(message[(at + BarsProperty.Length)..], isFinalBlock: false, default);
        var index = -1;
        var found = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray when reader.CurrentDepth == 1:
                    index = 0;
                    break;
                case JsonTokenType.Number when reader.CurrentDepth == 2:
                    if (index++ == CloseIndex)
                    {
                        close = reader.GetDouble();
                        found = true;
                    }
                    break;
                case JsonTokenType.EndArray when reader.CurrentDepth == 0:
                    return found;
            }
        }
        return false;
    }

    public override string ToString() => Encoding.UTF8.GetString(Subscribe("SYMBOL", 1));
}
