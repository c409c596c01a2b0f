using Realtime.Quotes;

namespace Realtime.Charts;

/// <summary>The <c>data</c> of a <c>mychart</c> frame (docs/protocol.md 1.9). Unknown fields are refused.</summary>
public sealed record ChartRequest(
    string? Action,
    string? ChartId,
    string? Symbol,
    string? Period,
    string? Mode,
    string[]? Indicators,
    int? Count,
    ChartResumeRequest? Resume,
    double? MaxRate = null);
