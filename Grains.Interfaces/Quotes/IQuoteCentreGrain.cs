using Orleans.Runtime;
using System.Collections.Immutable;

namespace Realtime.Quotes;

/// <summary>
/// One per symbol (key: the symbol). Keeps the latest quote, aggregates bars for every period in
/// <see cref="ChartPeriod.All"/>, keeps a bounded history in Redis, and pushes each change to its listeners.
/// </summary>
[Alias("realtime.IQuoteCentreGrain"), GrainInterfaceType("Realtime.Quotes.IQuoteCentreGrain")]
public interface IQuoteCentreGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds a listener: every tick from now on is pushed to it (<see cref="IQuoteListener.OnTick"/>). Kept in Redis, so
    /// the listeners outlive the centre's activation. Idempotent.
    /// </summary>
    Task Listen(IQuoteListener listener);

    /// <summary>Removes a listener; it hears no tick after this returns.</summary>
    Task Unlisten(IQuoteListener listener);

    /// <summary>Applies quotes in order; older or repeated quotes are ignored. Returns how many were applied.</summary>
    Task<int> Publish(ImmutableArray<Quote> quotes);

    /// <summary>Sets historical bars of one period (replacing bars at the same times).</summary>
    Task Backfill(string period, ImmutableArray<Bar> bars);

    /// <summary>The newest <paramref name="count"/> bars of <paramref name="period"/>, oldest first.</summary>
    Task<ImmutableArray<Bar>> GetBars(string period, int count);

    /// <summary>Like <see cref="GetBars"/>, with the number of the last tick published (so the listener knows where it stands).</summary>
    Task<QuoteHistory> GetHistory(string period, int count);

    /// <summary>
    /// History paging: the bars of <paramref name="period"/> opening in [<paramref name="from"/>,
    /// <paramref name="before"/>), at most the newest <paramref name="count"/> of them, and where older history
    /// resumes. Null when the symbol has neither quotes nor history.
    /// </summary>
    Task<QuoteHistoryPage?> GetPage(string period, long from, long before, int count);

    /// <summary>The centre's incarnation and the number of the last tick it published: what a listener compares its copy with.</summary>
    Task<(string Incarnation, long Seq)> GetPosition();

    Task<Quote?> GetLatest();

    /// <summary>Whether the symbol has any quote or history.</summary>
    Task<bool> Exists();
}
