using System.Collections.Immutable;

namespace Realtime.Quotes;

/// <summary>
/// What a quote centre publishes on its symbol's stream after applying quotes: the latest quote and every bar that
/// changed, per period, oldest first. <see cref="HistoryReplaced"/> says bars were backfilled, so listeners reload the
/// history instead of applying bars.
/// </summary>
/// <param name="Incarnation">
/// The publishing activation of the quote centre. Ticks are numbered by <paramref name="Seq"/> from 1 within one
/// incarnation, so a listener that sees a number skipped (a tick lost in flight, say with a silo) or a new
/// incarnation (the centre moved, or re-read its state after a failed write) knows its copy may be stale and reloads
/// from the centre (<see cref="IQuoteCentreGrain.GetHistory"/>) before it passes anything on.
/// </param>
[GenerateSerializer, Immutable]
[Alias("realtime.QuoteTick")]
public sealed record QuoteTick(
    [property: Id(0)] string Symbol,
    [property: Id(1)] Quote? Latest,
    [property: Id(2)] ImmutableArray<PeriodBar> Bars,
    [property: Id(3)] bool HistoryReplaced = false,
    [property: Id(5)] long PublishedAt = 0,
    [property: Id(6)] string Incarnation = "",
    [property: Id(7)] long Seq = 0);
