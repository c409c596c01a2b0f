using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>
/// A viewer asks a chart for its history (and, when <see cref="Dynamic"/>, its live updates).
/// <see cref="ChartId"/> and <see cref="IdJson"/> are the client's, echoed in the snapshot. <see cref="MaxRate"/>:
/// at most this many updates a second reach the viewer (its gateway folds the rest together); null, all of them.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.ChartOpenRequest")]
public sealed record ChartOpenRequest(
    [property: Id(0)] ConnectionInfo Viewer,
    [property: Id(1)] string ChartId,
    [property: Id(2)] string? IdJson,
    [property: Id(3)] bool Dynamic,
    [property: Id(4)] int Count,
    [property: Id(5)] ChartResume? Resume,
    [property: Id(6)] double? MaxRate = null);
