namespace Realtime.Services;

/// <summary>A pump's counters since its activation.</summary>
[GenerateSerializer, Immutable]
[Alias("realtime.PumpStatus")]
public sealed record PumpStatus(
    [property: Id(0)] string Queue,
    [property: Id(1)] string Silo,
    [property: Id(2)] long Dispatched,
    [property: Id(3)] long DeadLettered,
    [property: Id(4)] long Recovered);
