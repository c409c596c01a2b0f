using System.Net.WebSockets;
using Realtime.Connections;
using Realtime.Tests.Infrastructure;
using Realtime.Users;

namespace Realtime.Tests.Users;

/// <summary>One user, many connections, pushes through gateway observers.</summary>
public sealed class UserConnectionTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;
    private Microsoft.AspNetCore.Builder.WebApplication _otherGateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
        _otherGateway = await _cluster.StartGateway();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Two_connections_of_one_user_on_two_gateways_both_receive_a_push_to_the_user()
    {
        await using var first = await Connected.As(_cluster, _gateway, "signed-small");
        await using var second = await Connected.As(_cluster, _otherGateway, "signed-small");
        Assert.NotEqual(first.InstanceId, second.InstanceId);

        await SiteMessages.Push(_cluster, ["42"], "notice", new { text = "hello both" });

        Assert.Equal("hello both", (await first.Next("notice")).GetProperty("data").GetProperty("text").GetString());
        Assert.Equal("hello both", (await second.Next("notice")).GetProperty("data").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Closing_one_connection_keeps_the_other_receiving()
    {
        var first = await Connected.As(_cluster, _gateway, "signed-plain");
        await using var second = await Connected.As(_cluster, _gateway, "signed-plain");
        var user = _cluster.Grains.GetGrain<IUserGrain>("3");

        await first.DisposeAsync();
        await Eventually.True(async () => (await user.GetConnections()).SequenceEqual([second.InstanceId]), "the user grain dropped the closed connection");
        await SiteMessages.Push(_cluster, ["3"], "notice", new { text = "still here" });

        Assert.Equal("still here", (await second.Next("notice")).GetProperty("data").GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_push_to_one_user_does_not_reach_another()
    {
        await using var target = await Connected.As(_cluster, _gateway, "signed-compressed");
        await using var bystander = await Connected.As(_cluster, _gateway, "legacy-pre-3.1");

        await SiteMessages.Push(_cluster, ["7"], "notice", new { n = 1 });
        await SiteMessages.Broadcast(_cluster, "marker", new { n = 2 });

        await target.Next("notice");
        var firstSeenByBystander = await bystander.Next("marker");
        Assert.Equal(2, firstSeenByBystander.GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task A_broadcast_reaches_every_connection_on_every_gateway()
    {
        await using var a = await Connected.As(_cluster, _gateway, "signed-plain");
        await using var b = await Connected.As(_cluster, _otherGateway, "signed-compressed");

        await SiteMessages.Broadcast(_cluster, "maintenance", new { at = "tonight" });

        await a.Next("maintenance");
        await b.Next("maintenance");
    }

    [Fact]
    public async Task Logout_closes_every_connection_of_the_user_with_4001()
    {
        await using var first = await Connected.As(_cluster, _gateway, "signed-with-fallback-key");
        await using var second = await Connected.As(_cluster, _otherGateway, "signed-with-fallback-key");

        await SiteMessages.Logout(_cluster, "77");

        Assert.Equal((WebSocketCloseStatus)CloseCodes.LoggedOut, await first.Socket.WaitClosed());
        Assert.Equal((WebSocketCloseStatus)CloseCodes.LoggedOut, await second.Socket.WaitClosed());
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_echoing_the_id()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        await client.Socket.SendText("""{"type":"ping","id":"p-1"}""");
        var pong = await client.Next("pong");

        Assert.Equal("p-1", pong.GetProperty("id").GetString());
        Assert.True(pong.GetProperty("data").GetProperty("time").GetInt64() > 0);
    }

    [Fact]
    public async Task A_gateway_shutting_down_tells_its_clients_to_go_away_with_1001()
    {
        var leaving = await _cluster.StartGateway();
        await using var client = await Connected.As(_cluster, leaving, "signed-plain");

        var stopping = _cluster.StopGateway(leaving);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.Socket.WaitClosed());
        await stopping;
    }
}
