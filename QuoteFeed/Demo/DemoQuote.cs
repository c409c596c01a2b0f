namespace Realtime.QuoteFeed.Demo;

/// <summary>One quote as the <c>quote</c> service message carries it (docs/protocol.md 2.3); <see cref="Time"/> in unix ms.</summary>
internal sealed record DemoQuote(string Symbol, double Price, long Volume, long Time, double Bid, double Ask);
