namespace Realtime.Quotes;

/// <summary>
/// One OHLCV bar. <see cref="Time"/> is the bar's open time in unix milliseconds.
/// A value type because indicator code walks long arrays of them.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.Bar")]
public readonly record struct Bar(
    [property: Id(0)] long Time,
    [property: Id(1)] double Open,
    [property: Id(2)] double High,
    [property: Id(3)] double Low,
    [property: Id(4)] double Close,
    [property: Id(5)] double Volume);
