namespace Realtime.Charts;

/// <summary>The <c>data</c> of a <c>chart.history</c> frame (docs/protocol.md 1.12). Unknown fields are refused.</summary>
public sealed record ChartHistoryRequest(string? Symbol, string? Period, long? Before, int? Count);
