using Orleans.Runtime;
using Realtime.Connections;
using Realtime.Topics;

namespace Realtime.Watchlist;

/// <summary>
/// The watchlist line of one symbol (key: the symbol): its latest price, change since the previous day's close, day
/// volume and time, published as a topic to every connection that subscribed.
/// </summary>
[Alias("realtime.ITickerGrain"), GrainInterfaceType("Realtime.Watchlist.ITickerGrain")]
public interface ITickerGrain : ITopicGrain
{
    /// <summary>
    /// Subscribes a connection: it gets a snapshot (or, resuming at <paramref name="resume"/>, what it missed) and
    /// every update after, all through its gateway, at most <paramref name="maxRate"/> a second when given (the
    /// gateway folds the rest together). <see cref="OpenOutcome.NotFound"/> when the symbol has no quotes.
    /// </summary>
    Task<OpenOutcome> Subscribe(ConnectionInfo subscriber, TopicPosition? resume, string? idJson, double? maxRate = null);

    Task Unsubscribe(string gatewayId, string instanceId);

    /// <summary>The line as it stands; null when the symbol has no quotes.</summary>
    Task<TickerLine?> GetLine();
}
