using System.Collections.Immutable;

namespace Realtime.Quotes;

/// <summary>
/// One page of a period's history, scrolling back in time: <see cref="Bars"/> oldest first, and <see cref="Older"/>,
/// the open time of the newest bar the quote centre holds before them (null: the page reaches the start of the
/// history it keeps).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.QuoteHistoryPage")]
public sealed record QuoteHistoryPage(
    [property: Id(0)] ImmutableArray<Bar> Bars,
    [property: Id(1)] long? Older);
