using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Gateway;
using Realtime.Gateway.Connections;

namespace Realtime.Tests.Gateway;

/// <summary>
/// The gateway's table of who watches which chart, under the race that lost viewers: the last viewer of a chart
/// leaving (which drops the chart's viewer set) while another one joins.
/// </summary>
public sealed class ChartSubscriptionsTests : IDisposable
{
    private const string Chart = "RACE|1m|";

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
            var table = new ChartSubscriptions();
            table.Add(Chart, leaving);
            using var start = new Barrier(2);
            var join = Task.Run(() =>
            {
                start.SignalAndWait();
                table.Add(Chart, joining);
            });
            var leave = Task.Run(() =>
            {
                start.SignalAndWait();
                table.Remove(Chart, leaving.InstanceId);
            });
            await Task.WhenAll(join, leave);

            Assert.Equal([joining.InstanceId], table.Viewers(Chart).Select(c => c.InstanceId));
            Assert.Equal([joining.InstanceId], table.ByChart()[Chart].AsEnumerable());
        }
    }

    [Fact]
    public void Viewers_coming_and_going_on_many_threads_leave_exactly_those_that_stayed()
    {
        var table = new ChartSubscriptions();
        var connections = Enumerable.Range(0, 8).Select(i => Connection($"c{i}")).ToArray();
        Parallel.For(0, connections.Length, i =>
        {
            for (var k = 0; k < 5_000; k++)
            {
                table.Add(Chart, connections[i]);
                table.Remove(Chart, connections[i].InstanceId);
            }
            // The even ones stay.
            if (i % 2 == 0)
            {
                table.Add(Chart, connections[i]);
            }
        });

        Assert.Equal(["c0", "c2", "c4", "c6"], table.Viewers(Chart).Select(c => c.InstanceId).Order());
    }

    public void Dispose() => _metrics.Dispose();
}
