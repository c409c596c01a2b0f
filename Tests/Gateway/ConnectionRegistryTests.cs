using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Gateway;
using Realtime.Gateway.Connections;

namespace Realtime.Tests.Gateway;

/// <summary>
/// The registry's count of connections per user, which presence reports read: every user for a full report, only the
/// users whose count changed for the others, 0 for a user with none left.
/// </summary>
public sealed class ConnectionRegistryTests : IDisposable
{
    private readonly GatewayMetrics _metrics = new();
    private readonly List<WebSocket> _sockets = [];

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
        _metrics.Dispose();
    }

    [Fact]
    public void A_report_of_changes_names_only_the_users_whose_count_changed_since_the_last_one()
    {
        var registry = new ConnectionRegistry();
        var (ann1, ann2, bob) = (Connection("ann"), Connection("ann"), Connection("bob"));
        registry.Add(ann1);
        registry.Add(ann2);
        registry.Add(bob);

        Assert.Equal(new Dictionary<string, int> { ["ann"] = 2, ["bob"] = 1 }, registry.TakeUserCounts(all: true));
        Assert.Empty(registry.TakeUserCounts(all: false));

        registry.Remove(bob);
        registry.Remove(ann1);
        registry.Add(Connection("cid"));

        Assert.Equal(new Dictionary<string, int> { ["ann"] = 1, ["bob"] = 0, ["cid"] = 1 }, registry.TakeUserCounts(all: false));
        Assert.Equal(new Dictionary<string, int> { ["ann"] = 1, ["cid"] = 1 }, registry.TakeUserCounts(all: true));
    }

    [Fact]
    public void A_connection_removed_twice_or_never_added_changes_no_count()
    {
        var registry = new ConnectionRegistry();
        var ann = Connection("ann");
        registry.Add(ann);
        registry.Add(ann);
        registry.Remove(ann);
        registry.Remove(ann);
        registry.Remove(Connection("bob"));

        Assert.Equal(new Dictionary<string, int> { ["ann"] = 0 }, registry.TakeUserCounts(all: false));
        Assert.Empty(registry.TakeUserCounts(all: true));
        Assert.Equal(0, registry.Count);
    }

    private ClientConnection Connection(string userId)
    {
        var socket = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        _sockets.Add(socket);
        return new ClientConnection(socket, userId, Guid.NewGuid().ToString("N"), new GatewayOptions(), TimeProvider.System, _metrics, NullLogger.Instance);
    }
}
