namespace Realtime.Quotes;

/// <summary>Where a reconnecting client left a chart: the computation's epoch and the last update it applied.</summary>
[GenerateSerializer, Immutable]
[Alias("realtime.ChartResume")]
public sealed record ChartResume([property: Id(0)] string Epoch, [property: Id(1)] long Seq);
