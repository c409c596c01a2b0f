using System.Collections.Immutable;

namespace Realtime.Quotes;

/// <summary>
/// What a quote centre publishes on its symbol's stream after applying quotes: the latest quote and every bar that
/// changed, per period, oldest first. <see cref="HistoryReplaced"/> says bars were backfilled for
/// <see cref="ReplacedPeriod"/>, so listeners reload that period's history instead of applying bars.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QuoteTick(
    [property: Id(0)] string Symbol,
    [property: Id(1)] Quote? Latest,
    [property: Id(2)] ImmutableArray<PeriodBar> Bars,
    [property: Id(3)] bool HistoryReplaced = false,
    [property: Id(4)] string? ReplacedPeriod = null,
    [property: Id(5)] long PublishedAt = 0);
