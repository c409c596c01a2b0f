using Orleans.Runtime;
using System.Collections.Immutable;

namespace Realtime.Connections;

/// <summary>
/// One per gateway process: the way grains reach the sockets that gateway holds. Grains address connections by
/// instance id; the gateway owns the mapping to sockets, so a push to many connections is one call per gateway.
/// </summary>
/// <remarks>
/// A topic (a chart, say) is named by the grain that publishes it (its <c>GrainId</c>, as text): the gateway keeps
/// which of its connections subscribe to which topic and restates them to that grain (<c>ITopicGrain.Refresh</c>),
/// knowing nothing else of what a topic is.
/// </remarks>
[Alias("realtime.IGatewayObserver"), GrainInterfaceType("Realtime.Connections.IGatewayObserver")]
public interface IGatewayObserver : IGrainObserver
{
    /// <summary>Queues <paramref name="frame"/> on each listed connection this gateway holds; unknown ids are skipped.</summary>
    Task Send(ImmutableArray<string> instanceIds, ServerFrame frame);

    /// <summary>Queues <paramref name="frame"/> on every connection this gateway holds.</summary>
    Task Broadcast(ServerFrame frame);

    /// <summary>Closes the listed connections with a WebSocket close code and reason.</summary>
    Task Close(ImmutableArray<string> instanceIds, int closeCode, string reason);

    /// <summary>
    /// Subscribes one connection to a topic and queues <paramref name="frames"/> (a snapshot, or the updates it
    /// missed) on it first, so no frame published later can slip in between. With <paramref name="maxRate"/> the
    /// connection gets at most that many updates of the topic per second: the gateway folds those that come sooner
    /// into one (never dropping what they say) and sends it when the interval ends.
    /// </summary>
    Task Subscribe(string instanceId, string topic, ImmutableArray<ServerFrame> frames, double? maxRate = null);

    /// <summary>
    /// Queues frames, in order, on every local connection subscribed to <paramref name="topic"/>. Several at once when
    /// they came faster than the gateway took them: one call carries the whole backlog.
    /// </summary>
    /// <returns>
    /// False when a subscriber holds another epoch than an update's (it missed the snapshot that started the update's
    /// epoch): the gateway withheld the update from it, and the publisher owes this gateway a snapshot.
    /// </returns>
    Task<bool> Publish(string topic, ImmutableArray<ServerFrame> frames);

    /// <summary>Stops sending <paramref name="topic"/> to one connection.</summary>
    Task Unsubscribe(string instanceId, string topic);
}
