using Realtime.Tests.Infrastructure;
using Realtime.Users;

namespace Realtime.Tests.Users;

/// <summary>Observers are not durable: a user grain forgets connections whose gateway died.</summary>
public sealed class GatewayLossTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        await _cluster.StartGateway();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_user_grain_forgets_the_connections_of_a_gateway_that_died()
    {
        await using var doomed = await ProductProcess.StartGateway(_cluster);
        var key = await DjangoSessions.Store(_cluster.Redis, "signed-small");
        await using var socket = await TestSocket.Connect(doomed.WebSocket(key));
        await socket.Next("welcome");
        var user = _cluster.Grains.GetGrain<IUserGrain>("42");
        Assert.Single(await user.GetConnections());

        await doomed.Kill();
        await SiteMessages.Push(_cluster, ["42"], "notice", new { text = "anyone there?" });

        await Eventually.True(async () => (await user.GetConnections()).IsEmpty, "the dead gateway's connection is forgotten", TimeSpan.FromSeconds(60));
    }
}
