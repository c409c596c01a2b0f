namespace Realtime.Quotes;

/// <summary>A bar of one period.</summary>
[GenerateSerializer, Immutable]
[Alias("realtime.PeriodBar")]
public readonly record struct PeriodBar([property: Id(0)] string Period, [property: Id(1)] Bar Bar);
