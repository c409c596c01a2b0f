using Orleans.Runtime;
namespace Realtime.Presence;

/// <summary>
/// Who is online, cluster-wide: every gateway reports how many connections each user holds on it and how many of its
/// connections watch each chart; this sums the reports of the gateways that are alive. In memory only: after a
/// move to another silo it asks every gateway for a full report (<see cref="Report"/> answers false), which they send
/// within one report interval. A gateway that stops reporting (it died) is dropped after the expiry it announced.
/// Key: always <see cref="SingletonKey"/>.
/// </summary>
[Alias("realtime.IPresenceGrain"), GrainInterfaceType("Realtime.Presence.IPresenceGrain")]
public interface IPresenceGrain : IGrainWithIntegerKey
{
    const long SingletonKey = 0;

    /// <summary>
    /// Takes one gateway's report. Returns false when it is a change this grain cannot apply (it does not know the
    /// gateway, or missed a report in between): the gateway then sends a full report.
    /// </summary>
    Task<bool> Report(PresenceReport report);

    /// <summary>A gateway is stopping: its connections are gone.</summary>
    Task Forget(string gatewayId);

    /// <summary>The totals, and the connection counts of the users and the watchers of the charts asked for.</summary>
    Task<PresenceAnswer> Query(PresenceQuery query);

    /// <summary>Online users in user id order (ordinal), at most <paramref name="limit"/>, those after <paramref name="after"/>.</summary>
    Task<PresencePage> Online(string? after, int limit);
}
