namespace Realtime.Quotes;

/// <summary>A chart computation's counters, for operators and tests.</summary>
[GenerateSerializer, Immutable]
[Alias("realtime.ChartStats")]
public sealed record ChartStats(
    [property: Id(0)] string Epoch,
    [property: Id(1)] long Seq,
    [property: Id(2)] int Viewers,
    [property: Id(3)] int Gateways,
    [property: Id(4)] long UpdatesComputed,
    [property: Id(5)] string Silo);
