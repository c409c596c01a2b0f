using System.Net.WebSockets;
using Realtime.Tests.Infrastructure;
using Realtime.Users;

namespace Realtime.Tests.Users;

/// <summary>A client that stops answering the server's pings is dropped and forgotten everywhere.</summary>
public sealed class HeartbeatTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway(new Dictionary<string, string?>
        {
            ["Gateway:HeartbeatSeconds"] = "1",
            ["Gateway:HeartbeatTimeoutSeconds"] = "2",
        });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_connection_that_stops_answering_pings_is_closed_and_cleaned_up()
    {
        var key = await DjangoSessions.Store(_cluster.Redis, "signed-compressed");
        using var silent = new ClientWebSocket();
        silent.Options.KeepAliveInterval = TimeSpan.Zero;
        await silent.ConnectAsync(RealtimeCluster.WebSocketUri(_gateway, key), CancellationToken.None);
        // Read the welcome, then never read again: .NET answers pings only inside ReceiveAsync, so no pong goes back.
        var buffer = new byte[4096];
        await silent.ReceiveAsync(buffer, CancellationToken.None);
        var user = _cluster.Grains.GetGrain<IUserGrain>("7");
        Assert.Single(await user.GetConnections());

        await Eventually.True(async () => (await user.GetConnections()).IsEmpty, "the silent connection is forgotten by the user grain");
    }

    [Fact]
    public async Task A_connection_that_answers_pings_stays_open()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-compressed");
        var user = _cluster.Grains.GetGrain<IUserGrain>("7");

        await Task.Delay(TimeSpan.FromSeconds(5)); // several heartbeat periods must pass; this is the scenario, not synchronisation

        Assert.Equal(WebSocketState.Open, client.Socket.State);
        Assert.Contains(client.InstanceId, await user.GetConnections());
    }
}
