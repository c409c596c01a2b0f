namespace Realtime.QuoteFeed.Demo;

/// <summary>A symbol of the demo market and the walk its price follows.</summary>
internal sealed record DemoInstrument(string Ticker, RandomWalk Walk);
