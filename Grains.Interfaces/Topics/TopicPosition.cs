namespace Realtime.Topics;

/// <summary>Where a subscriber left a topic: the epoch it held and the number of the last update it applied.</summary>
[GenerateSerializer, Immutable]
[Alias("realtime.TopicPosition")]
public sealed record TopicPosition([property: Id(0)] string Epoch, [property: Id(1)] long Seq);
