namespace Realtime.Watchlist;

/// <summary>
/// One symbol's watchlist line. <see cref="Change"/> is against <see cref="PreviousClose"/>, the close of the day
/// bar before the latest (null when there is none); <see cref="Volume"/> is the latest day bar's.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.TickerLine")]
public sealed record TickerLine(
    [property: Id(0)] string Symbol,
    [property: Id(1)] double Price,
    [property: Id(2)] double? PreviousClose,
    [property: Id(3)] double Volume,
    [property: Id(4)] long Time)
{
    public double? Change => PreviousClose is { } close ? Price - close : null;
}
