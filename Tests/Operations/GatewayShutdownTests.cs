using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Realtime.Gateway;
using Realtime.Tests.Deploy;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Operations;

/// <summary>A gateway process sent SIGTERM drains: clients are sent away with 1001, newcomers get 503, never a closed port.</summary>
public sealed class GatewayShutdownTests
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(GatewayOptions.DefaultDrainSeconds);

    [Fact]
    public async Task A_draining_gateway_answers_503_for_its_drain_period_closes_clients_with_1001_and_exits_in_time()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await cluster.StartSilo();
        await using var gateway = await ProductProcess.StartGateway(cluster);
        var key = await DjangoSessions.Store(cluster.Redis, "signed-small");
        await using var client = await TestSocket.Connect(gateway.WebSocket(key));
        await client.Next("welcome");

        var clock = Stopwatch.StartNew();
        await gateway.SendTerminate();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.WaitClosed(TimeSpan.FromSeconds(5)));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(gateway.Http("/readyz"))).StatusCode);

        var attempts = new List<(TimeSpan At, HttpStatusCode Status)>();
        while (!gateway.HasExited)
        {
            var status = await TestSocket.RefusedStatus(gateway.WebSocket(key));
            // When the answer came: an attempt begun just before the drain's end may be answered after it on a
            // loaded machine, by a gateway that no longer listens.
            attempts.Add((clock.Elapsed, status));
        }
        await gateway.Exited;
        clock.Stop();

        var duringDrain = attempts.Where(a => a.At < Drain).ToList();
        Assert.True(duringDrain.Count >= 10, $"only {duringDrain.Count} upgrade attempts during the drain");
        Assert.All(duringDrain, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        // After the drain Kestrel stops listening: a refusal (no HTTP status) may come only then.
        Assert.All(attempts, a => Assert.True(a.Status == HttpStatusCode.ServiceUnavailable || a.At >= Drain, $"{a.Status} at {a.At}"));
        Assert.True(clock.Elapsed < await ShutdownTimeouts.Gateway(), $"exited after {clock.Elapsed}");
        Assert.Equal(0, gateway.ExitCode);
    }

    [Fact]
    public async Task A_gateway_whose_Redis_hangs_exits_within_28_s_of_SIGTERM()
    {
        await using var redis = RedisServer.StartPrivate();
        await using var cluster = new RealtimeCluster(redis);
        await cluster.StartSilo();
        await using var gateway = await ProductProcess.StartGateway(cluster);
        var key = await DjangoSessions.Store(cluster.Redis, "signed-small");
        await using var client = await TestSocket.Connect(gateway.WebSocket(key));
        await client.Next("welcome");

        await redis.Pause();
        var clock = Stopwatch.StartNew();
        await gateway.SendTerminate();
        await gateway.Exited.WaitAsync(Realtime.Hosting.ShutdownDeadline.MostAllowed + TimeSpan.FromSeconds(10));
        clock.Stop();
        await redis.Resume();

        Assert.True(clock.Elapsed < Realtime.Hosting.ShutdownDeadline.MostAllowed, $"exited after {clock.Elapsed}");
        Assert.True(clock.Elapsed <= await ShutdownTimeouts.Gateway() + TimeSpan.FromSeconds(3), $"exited after {clock.Elapsed}");
    }
}
