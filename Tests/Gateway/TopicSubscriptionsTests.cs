using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Gateway;
using Realtime.Gateway.Connections;

namespace Realtime.Tests.Gateway;

/// <summary>
/// The gateway's table of who subscribes to which topic, under the race that lost viewers: the last subscriber of a
/// topic leaving (which drops the topic's subscriber set) while another one joins.
/// </summary>
public sealed class TopicSubscriptionsTests : IDisposable
{
    private const string Topic = "chart/RACE|1m|";

    private readonly GatewayMetrics _metrics = new();

    private ClientConnection Connection(string instanceId) =>
        new(WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true }), "7", instanceId, new GatewayOptions(), TimeProvider.System, _metrics, NullLogger.Instance);

    [Fact]
    public async Task A_viewer_joining_while_the_last_one_leaves_is_never_lost()
    {
        var joining = Connection("joining");
        var leaving = Connection("leaving");
        for (var round = 0; round < 20_000; round++)
        {
            var table = new TopicSubscriptions();
            table.Add(Topic, leaving, null);
            using var start = new Barrier(2);
            var join = Task.Run(() =>
            {
                start.SignalAndWait();
                table.Add(Topic, joining, null);
            });
            var leave = Task.Run(() =>
            {
                start.SignalAndWait();
                table.Remove(Topic, leaving.InstanceId);
            });
            await Task.WhenAll(join, leave);

            Assert.Equal([joining.InstanceId], table.Subscribers(Topic).Select(s => s.Connection.InstanceId));
            Assert.Equal([joining.InstanceId], table.ByTopic()[Topic].AsEnumerable());
        }
    }

    [Fact]
    public void Viewers_coming_and_going_on_many_threads_leave_exactly_those_that_stayed()
    {
        var table = new TopicSubscriptions();
        var connections = Enumerable.Range(0, 8).Select(i => Connection($"c{i}")).ToArray();
        Parallel.For(0, connections.Length, i =>
        {
            for (var k = 0; k < 5_000; k++)
            {
                table.Add(Topic, connections[i], null);
                table.Remove(Topic, connections[i].InstanceId);
            }
            // The even ones stay.
            if (i % 2 == 0)
            {
                table.Add(Topic, connections[i], null);
            }
        });

        Assert.Equal(["c0", "c2", "c4", "c6"], table.Subscribers(Topic).Select(s => s.Connection.InstanceId).Order());
    }

    public void Dispose() => _metrics.Dispose();
}
