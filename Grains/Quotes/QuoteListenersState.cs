namespace Realtime.Quotes;

/// <summary>
/// What a quote centre persists: the grains that listen to it. A centre re-activated after its silo died (or after
/// it was idle) pushes its first tick to them at once; its new incarnation tells them to reload. Written only when a
/// listener comes or goes, never per tick.
/// </summary>
[GenerateSerializer]
[Alias("realtime.QuoteListenersState")]
public sealed class QuoteListenersState
{
    public const string Name = "quote-listeners";

    [Id(0)]
    public HashSet<GrainId> Listeners { get; set; } = [];
}
