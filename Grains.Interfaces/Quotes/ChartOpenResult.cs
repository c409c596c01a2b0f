using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>
/// The answer to <see cref="IChartGrain.Open"/>: the chart does not exist (unknown symbol), or it was opened. For a
/// static chart <see cref="Snapshot"/> is the frame to reply with; a dynamic chart's frames went to the viewer's
/// gateway already, in order with the live updates.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChartOpenResult([property: Id(0)] bool Found, [property: Id(1)] ServerFrame? Snapshot);
