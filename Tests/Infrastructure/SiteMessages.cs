using Realtime.Services;

namespace Realtime.Tests.Infrastructure;

/// <summary>Pushes <c>site</c> messages onto a cluster's queue as the Django site would.</summary>
public static class SiteMessages
{
    public static Task Push(RealtimeCluster cluster, string[] users, string type, object data) =>
        new ServiceQueueClient(cluster.Redis.Connection, "tests").Push(cluster.Queue, "site",
            new { action = "push", users, message = new { type, data } });

    public static Task Logout(RealtimeCluster cluster, params string[] users) =>
        new ServiceQueueClient(cluster.Redis.Connection, "tests").Push(cluster.Queue, "site", new { action = "logout", users });

    public static Task Broadcast(RealtimeCluster cluster, string type, object data) =>
        new ServiceQueueClient(cluster.Redis.Connection, "tests").Push(cluster.Queue, "site",
            new { action = "broadcast", message = new { type, data } });
}
