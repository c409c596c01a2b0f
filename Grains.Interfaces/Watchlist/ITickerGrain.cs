using Realtime.Connections;
using Realtime.Topics;

namespace Realtime.Watchlist;

/// <summary>
/// The watchlist line of one symbol (key: the symbol): its latest price, change since the previous day's close, day
/// volume and time, published as a topic to every connection that subscribed.
/// </summary>
public interface ITickerGrain : ITopicGrain
{
    /// <summary>
    /// Subscribes a connection: it gets a snapshot (or, resuming at <paramref name="resume"/>, what it missed) and
    /// every update after, at most <paramref name="maxRate"/> a second when given (its gateway folds the rest
    /// together). False when the symbol has no quotes.
    /// </summary>
    Task<bool> Subscribe(ConnectionInfo subscriber, TopicPosition? resume, string? idJson, double? maxRate = null);

    Task Unsubscribe(string gatewayId, string instanceId);

    /// <summary>The line as it stands; null when the symbol has no quotes.</summary>
    Task<TickerLine?> GetLine();
}
