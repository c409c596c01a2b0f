namespace Realtime.QuoteFeed.Demo;

/// <summary>A ticker of the demo market and the price its walk starts from.</summary>
internal sealed record DemoSymbol(string Ticker, double StartPrice);
