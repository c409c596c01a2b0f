using System.Collections.Immutable;

namespace Realtime.Connections;

/// <summary>
/// One per gateway process: the way grains reach the sockets that gateway holds. Grains address connections by
/// instance id; the gateway owns the mapping to sockets, so a push to many connections is one call per gateway.
/// </summary>
public interface IGatewayObserver : IGrainObserver
{
    /// <summary>Queues <paramref name="frame"/> on each listed connection this gateway holds; unknown ids are skipped.</summary>
    Task Send(ImmutableArray<string> instanceIds, ServerFrame frame);

    /// <summary>Queues <paramref name="frame"/> on every connection this gateway holds.</summary>
    Task Broadcast(ServerFrame frame);

    /// <summary>Closes the listed connections with a WebSocket close code and reason.</summary>
    Task Close(ImmutableArray<string> instanceIds, int closeCode, string reason);

    /// <summary>
    /// Subscribes one connection to a chart's updates and queues <paramref name="frames"/> (a snapshot, or the
    /// updates it missed) on it first, so no update can slip in between.
    /// </summary>
    Task AttachChart(string instanceId, string chartKey, ImmutableArray<ServerFrame> frames);

    /// <summary>
    /// Queues chart frames, in order, on every local connection subscribed to <paramref name="chartKey"/>. Several
    /// at once when updates came faster than the gateway took them: one call carries the whole backlog.
    /// </summary>
    Task SendChart(string chartKey, ImmutableArray<ServerFrame> frames);

    /// <summary>Stops sending <paramref name="chartKey"/> to one connection.</summary>
    Task DetachChart(string instanceId, string chartKey);
}
