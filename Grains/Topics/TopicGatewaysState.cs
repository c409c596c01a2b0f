using Realtime.Connections;

namespace Realtime.Topics;

/// <summary>
/// What a topic grain persists: the gateways that hold its subscribers. A topic re-activated after its silo died
/// sends them a fresh snapshot at once, instead of waiting for each gateway's next refresh to learn that they are
/// there. Written only when a gateway comes or goes, never per subscriber or per update.
/// </summary>
[GenerateSerializer]
[Alias("realtime.TopicGatewaysState")]
public sealed class TopicGatewaysState
{
    /// <summary>The state's name for <c>[PersistentState]</c>: a topic grain's id keeps it apart from the others'.</summary>
    public const string Name = "topic-gateways";

    [Id(0)]
    public Dictionary<string, IGatewayObserver> Gateways { get; set; } = new(StringComparer.Ordinal);
}
