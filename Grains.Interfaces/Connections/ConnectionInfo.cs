namespace Realtime.Connections;

/// <summary>One open WebSocket: its per-connection instance id and the gateway that holds it.</summary>
[GenerateSerializer, Immutable]
[Alias("realtime.ConnectionInfo")]
public sealed record ConnectionInfo(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string GatewayId,
    [property: Id(2)] IGatewayObserver Gateway);
