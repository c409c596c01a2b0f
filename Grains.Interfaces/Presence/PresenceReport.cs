namespace Realtime.Presence;

/// <summary>
/// What one gateway holds: connections per user and subscribed connections per topic (a chart grain's id, say). A full report replaces what the
/// presence grain knew of the gateway; a change report (<paramref name="Full"/> false) lists only the counts that
/// changed since report <paramref name="Seq"/> - 1 (0 for a user or topic no longer there) and doubles as the
/// gateway's heartbeat when it lists nothing.
/// </summary>
/// <param name="ExpireAfter">How long the gateway's counts stand without another report: a few report intervals.</param>
[GenerateSerializer, Immutable]
[Alias("realtime.PresenceReport")]
public sealed record PresenceReport(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] long Seq,
    [property: Id(2)] bool Full,
    [property: Id(3)] Dictionary<string, int> Users,
    [property: Id(4)] Dictionary<string, int> Topics,
    [property: Id(5)] TimeSpan ExpireAfter);
