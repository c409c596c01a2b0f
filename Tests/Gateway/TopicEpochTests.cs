using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Connections;
using Realtime.Gateway;
using Realtime.Gateway.Connections;
using Realtime.Quotes;

namespace Realtime.Tests.Gateway;

/// <summary>
/// A topic grain that re-activated (or started a new epoch) may publish to a gateway whose connections still hold an
/// older epoch it never sent them a snapshot of. The gateway withholds such updates from those connections and tells
/// the publisher, which owes it a snapshot; what a client reads over its real socket never has an update of an epoch
/// it has no snapshot of. A connection that asked for a cadence (<c>maxRate</c>) gets updates folded, never lost.
/// </summary>
public sealed class TopicEpochTests : IAsyncDisposable
{
    private const string Topic = "chart/EPOCH|1m|";
    private const string Chart = "EPOCH|1m|";

    private readonly GatewayMetrics _metrics = new();
    private readonly ConnectionRegistry _registry = new();
    private readonly TopicSubscriptions _topics = new();
    private readonly List<IAsyncDisposable> _sockets = [];

    private static ServerFrame Snapshot(string epoch, long seq) =>
        ServerFrame.Create("chart.snapshot", new { chart = Chart, epoch, seq }, conflationKey: "chart:" + Chart) with { Epoch = epoch };

    private static ServerFrame Update(string epoch, long seq) =>
        new ChartUpdate(Chart, epoch, seq, seq - 1, [new ChartPoint(new Bar(seq * 60_000, 1, 1, 1, 1, 1), [])]).Encode("chart:" + Chart);

    [Fact]
    public async Task An_update_of_an_epoch_a_connection_has_no_snapshot_of_is_withheld_until_the_snapshot_the_gateway_asks_for()
    {
        var observer = new GatewayObserver(_registry, _topics, TimeProvider.System);
        var (oldViewer, oldClient) = await Connect("old");
        var (newViewer, newClient) = await Connect("new");

        // "old" was served by an earlier activation (epoch e1); the new activation (e2) knows only "new".
        await observer.Subscribe(oldViewer.InstanceId, Topic, [Snapshot("e1", 7)]);
        await observer.Subscribe(newViewer.InstanceId, Topic, [Snapshot("e2", 0)]);

        Assert.False(await observer.Publish(Topic, [Update("e2", 1)]));
        // The publisher's answer: its snapshot, then what follows it.
        Assert.True(await observer.Publish(Topic, [Snapshot("e2", 1), Update("e2", 2)]));
        Assert.True(await observer.Publish(Topic, [Update("e2", 3)]));

        Assert.Equal(["snapshot e1/7", "snapshot e2/1", "update e2/2", "update e2/3"], await Read(oldClient, 4));
        Assert.Equal(["snapshot e2/0", "update e2/1", "snapshot e2/1", "update e2/2", "update e2/3"], await Read(newClient, 5));
    }

    [Fact]
    public async Task A_connection_that_resumed_holds_the_epoch_it_resumed_in()
    {
        var observer = new GatewayObserver(_registry, _topics, TimeProvider.System);
        var (viewer, client) = await Connect("resumer");
        var resumed = ServerFrame.Create("chart.resumed", new { chart = Chart, epoch = "e3", seq = 4 }, conflationKey: "chart:" + Chart) with { Epoch = "e3" };

        await observer.Subscribe(viewer.InstanceId, Topic, [resumed, Update("e3", 5)]);

        Assert.True(await observer.Publish(Topic, [Update("e3", 6)]));
        Assert.False(await observer.Publish(Topic, [Update("e4", 1)]));
        Assert.Equal(["chart.resumed", "update e3/5", "update e3/6"], await Read(client, 3));
    }

    [Fact]
    public async Task A_paced_connection_gets_held_updates_folded_into_one_before_a_snapshot_and_the_last_on_its_timer()
    {
        var observer = new GatewayObserver(_registry, _topics, TimeProvider.System);
        var (paced, pacedClient) = await Connect("paced");
        var (full, fullClient) = await Connect("full");
        await observer.Subscribe(paced.InstanceId, Topic, [Snapshot("e5", 0)], maxRate: 1);
        await observer.Subscribe(full.InstanceId, Topic, [Snapshot("e5", 0)]);

        // Within the paced connection's first second: held and folded, then sent ahead of the snapshot (a barrier).
        for (var seq = 1; seq <= 5; seq++)
        {
            Assert.True(await observer.Publish(Topic, [Update("e5", seq)]));
        }
        Assert.True(await observer.Publish(Topic, [Snapshot("e5", 5), Update("e5", 6)]));

        Assert.Equal(["snapshot e5/0", "update e5/1", "update e5/2", "update e5/3", "update e5/4", "update e5/5", "snapshot e5/5", "update e5/6"], await Read(fullClient, 8));
        // Update 6 came right after the snapshot, so it waits for the interval to end; a timer sends it, no publish.
        Assert.Equal(["snapshot e5/0", "update e5/5", "snapshot e5/5", "update e5/6"], await Read(pacedClient, 4));
    }

    /// <summary>A gateway connection over a real loopback WebSocket, and the client end that reads what it sends.</summary>
    private async Task<(ClientConnection Server, WebSocket Client)> Connect(string instanceId)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var accepted = await listener.AcceptTcpClientAsync();
        listener.Stop();
        var serverSocket = WebSocket.CreateFromStream(accepted.GetStream(), new WebSocketCreationOptions { IsServer = true });
        var clientSocket = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false });
        var connection = new ClientConnection(serverSocket, "7", instanceId, new GatewayOptions(), TimeProvider.System, _metrics, NullLogger.Instance);
        _registry.Add(connection);
        _sockets.Add(new SocketPair(serverSocket, clientSocket, accepted, client));
        return (connection, clientSocket);
    }

    private static async Task<string[]> Read(WebSocket client, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var frames = new List<string>();
        var buffer = new byte[64 * 1024];
        while (frames.Count < count)
        {
            var result = await client.ReceiveAsync(buffer, timeout.Token);
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count));
            var type = json.RootElement.GetProperty("type").GetString()!;
            var data = json.RootElement.GetProperty("data");
            frames.Add(type switch
            {
                "chart.snapshot" => $"snapshot {data.GetProperty("epoch").GetString()}/{data.GetProperty("seq").GetInt64()}",
                "chart.update" => $"update {data.GetProperty("epoch").GetString()}/{data.GetProperty("seq").GetInt64()}",
                _ => type,
            });
        }
        // Nothing more was sent: a frame withheld is not merely late.
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReceiveAsync(buffer, quiet.Token));
        return [.. frames];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }
        _metrics.Dispose();
    }

    private sealed record SocketPair(WebSocket Server, WebSocket Client, TcpClient Accepted, TcpClient Connected) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Server.Abort();
            Client.Abort();
            Accepted.Dispose();
            Connected.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
