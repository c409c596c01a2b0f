namespace Realtime.Quotes;

/// <summary>One market quote of a symbol; <see cref="Time"/> in unix milliseconds, <see cref="Volume"/> the size traded.</summary>
[GenerateSerializer, Immutable]
[Alias("realtime.Quote")]
public sealed record Quote(
    [property: Id(0)] string Symbol,
    [property: Id(1)] double Price,
    [property: Id(2)] double Volume,
    [property: Id(3)] long Time,
    [property: Id(4)] double? Bid = null,
    [property: Id(5)] double? Ask = null);
