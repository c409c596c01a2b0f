using System.Collections.Immutable;

namespace Realtime.Quotes;

/// <summary>
/// A period's newest bars as of the tick numbered <see cref="Seq"/> of the centre's <see cref="Incarnation"/>
/// (see <see cref="QuoteTick"/>): a listener that loads this applies only later ticks.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.QuoteHistory")]
public sealed record QuoteHistory(
    [property: Id(0)] ImmutableArray<Bar> Bars,
    [property: Id(1)] string Incarnation,
    [property: Id(2)] long Seq);
