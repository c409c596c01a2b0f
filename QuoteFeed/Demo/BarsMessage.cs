namespace Realtime.QuoteFeed.Demo;

/// <summary>The <c>data</c> of a <c>bars</c> service message: history of one symbol and period (docs/protocol.md 2.3).</summary>
internal sealed record BarsMessage(string Symbol, string Period, IReadOnlyList<object[]> Bars);
