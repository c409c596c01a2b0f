namespace Realtime.Users;

/// <summary>
/// Tells a failure of the cluster (a grain on a silo that died and is not yet declared dead, a call that timed out, a
/// message Orleans refused to route) from a bug. The first is an outage, answered <c>unavailable</c> so the client
/// tries again; only the second is <c>internal</c>.
/// </summary>
internal static class ClusterOutage
{
    public static bool Is(Exception exception) => exception switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or TimeoutException => true,
        AggregateException { InnerExceptions: var inner } => inner.Count > 0 && inner.All(Is),
        _ => exception.InnerException is { } cause && Is(cause),
    };
}
