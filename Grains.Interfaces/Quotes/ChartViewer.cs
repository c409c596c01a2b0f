using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>A connection that watches a chart, and the gateway holding it.</summary>
[GenerateSerializer, Immutable]
public sealed record ChartViewer(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string GatewayId,
    [property: Id(2)] IGatewayObserver Gateway);
