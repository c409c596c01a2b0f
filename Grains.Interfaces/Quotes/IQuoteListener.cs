using Orleans.Concurrency;

namespace Realtime.Quotes;

/// <summary>
/// A grain that follows one symbol's quote centre (a chart, a watchlist line). The centre pushes it every tick as a
/// one-way call the moment the quotes are applied: nothing polls, and the centre never waits on a listener.
/// </summary>
/// <remarks>
/// One-way calls can be lost (a listener's silo dies, say), which is why ticks are numbered (<see cref="QuoteTick"/>):
/// a listener that sees a number skipped, or a new incarnation, reloads from the centre.
/// </remarks>
[Alias("realtime.IQuoteListener"), GrainInterfaceType("Realtime.Quotes.IQuoteListener")]
public interface IQuoteListener : IGrainWithStringKey
{
    [OneWay]
    Task OnTick(QuoteTick tick);
}
