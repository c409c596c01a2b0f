namespace Realtime.Watchlist;

/// <summary>The <c>data</c> of a <c>ticker</c> message (docs/protocol.md 1.10).</summary>
public sealed record TickerRequest(string? Action, string[]? Symbols, Dictionary<string, TickerResumeRequest>? Resume, double? MaxRate = null);

/// <summary>Where a reconnecting client left one symbol.</summary>
public sealed record TickerResumeRequest(string? Epoch, long? Seq);
