using Realtime.Quotes;

namespace Realtime.Charts;

/// <summary>Where a reconnecting client left a chart.</summary>
public sealed record ChartResumeRequest(string? Epoch, long? Seq);
