namespace Realtime.Quotes;

/// <summary>
/// One bar of a chart with its indicators' outputs at that bar: one array per indicator, in the chart's indicator
/// order, null during the indicator's lookback. <see cref="Final"/>: the bar's period is over (docs/protocol.md 1.9).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("realtime.ChartPoint")]
public sealed record ChartPoint(
    [property: Id(0)] Bar Bar,
    [property: Id(1)] double[]?[] Outputs,
    [property: Id(2)] bool Final = false);
