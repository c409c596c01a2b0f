using System.Globalization;

namespace Realtime.Bench.Load;

/// <summary>
/// The service messages the generator pushes, exactly as docs/protocol.md 2.3 has a quote forwarder write them.
/// The price is the quote's sequence number: unique, so the update it causes can be matched to its send time.
/// </summary>
public static class QuoteMessages
{
    public static string Quote(string symbol, long seq, long unixMs) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{{\"type\":\"quote\",\"src\":\"bench\",\"data\":{{\"symbol\":\"{symbol}\",\"price\":{seq},\"volume\":1,\"time\":{unixMs}}}}}");

    /// <summary>Symbols <c>PREFIX0</c> to <c>PREFIX{count-1}</c>.</summary>
    public static string[] Symbols(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => prefix + i)];
}
