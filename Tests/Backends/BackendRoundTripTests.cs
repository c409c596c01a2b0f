using System.Text.Json;
using Realtime.Connections;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Backends;

/// <summary>
/// A user message type listed in <c>Backend:Forward</c> goes to a backend program's Redis list, and the backend's
/// <c>site</c> answer comes back to the connection that asked, with the request's id: over a real gateway WebSocket,
/// with the documented Python backend (docs/examples/echo_backend.py) running as a process of its own.
/// </summary>
public sealed class BackendRoundTripTests : IAsyncLifetime
{
    private const string Type = "backend.echo";
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;
    private string List => $"{_cluster.Queue}:backend";

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo(new Dictionary<string, string?>
        {
            [$"Backend:Forward:{Type}"] = List,
            ["Backend:Forward:backend.broken"] = $"{_cluster.Queue}:not-a-list",
        });
        _gateway = await _cluster.StartGateway();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_forwarded_message_is_answered_by_the_backend_process_on_the_asking_connection_with_its_id()
    {
        await using var backend = await BackendProcess.StartEcho(_cluster.Redis, List);
        var session = await DjangoSessions.StoreLogin(_cluster.Redis, "501");
        await using var asking = await Connect(session);
        await using var other = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session));

        await asking.SendText($$$"""{"type":"{{{Type}}}","id":"req-1","data":{"text":"hello backend"}}""");
        var reply = await asking.Next($"{Type}.reply");

        Assert.Equal("req-1", reply.GetProperty("id").GetString());
        Assert.Equal("501", reply.GetProperty("data").GetProperty("user").GetString());
        Assert.Equal("hello backend", reply.GetProperty("data").GetProperty("echo").GetProperty("text").GetString());

        // A numeric id comes back as the same number; the user's other connection was never addressed.
        await asking.SendText($$"""{"type":"{{Type}}","id":17,"data":[1,2]}""");
        var second = await asking.Next($"{Type}.reply");
        Assert.Equal("17", second.GetProperty("id").GetRawText());
        Assert.Equal("[1,2]", second.GetProperty("data").GetProperty("echo").GetRawText());
        await other.SendText("""{"type":"ping","id":"after"}""");
        var seenByOther = new List<string>();
        while (seenByOther.LastOrDefault() != "pong")
        {
            using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
            seenByOther.Add((await other.Frames.ReadAsync(timeout.Token)).GetProperty("type").GetString()!);
        }
        Assert.Equal(["welcome", "pong"], seenByOther);
    }

    [Fact]
    public async Task The_backend_list_holds_the_documented_envelope()
    {
        var session = await DjangoSessions.StoreLogin(_cluster.Redis, "502");
        await using var client = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session));
        var instance = (await client.Next("welcome")).GetProperty("data").GetProperty("instanceId").GetString();

        await client.SendText($$$"""{"type":"{{{Type}}}","id":"e-1","data":{"n":1}}""");
        string? raw = null;
        await Eventually.True(async () => (raw = await _cluster.Redis.Database.ListRightPopAsync(List)) is not null, "the forward reached the backend list");

        var message = JsonDocument.Parse(raw!).RootElement;
        Assert.Equal(Type, message.GetProperty("type").GetString());
        Assert.Equal(_cluster.Queue, message.GetProperty("src").GetString());
        var data = message.GetProperty("data");
        Assert.Equal("502", data.GetProperty("user").GetString());
        Assert.Equal(instance, data.GetProperty("instance").GetString());
        Assert.Equal("e-1", data.GetProperty("id").GetString());
        Assert.Equal(Type, data.GetProperty("message").GetProperty("type").GetString());
        Assert.Equal(1, data.GetProperty("message").GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task A_forward_whose_list_cannot_be_written_is_answered_unavailable_with_its_id()
    {
        // Not a list: Redis refuses the push (WRONGTYPE), as it would refuse any write it cannot do.
        await _cluster.Redis.Database.StringSetAsync($"{_cluster.Queue}:not-a-list", "a string");
        var session = await DjangoSessions.StoreLogin(_cluster.Redis, "503");
        await using var client = await Connect(session);

        await client.SendText("""{"type":"backend.broken","id":"b-1","data":{}}""");
        var error = await client.Next("error");

        Assert.Equal(ErrorCodes.Unavailable, error.GetProperty("data").GetProperty("code").GetString());
        Assert.Equal("b-1", error.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_forward_to_a_backend_that_stopped_reading_is_answered_unavailable_once_its_list_is_full()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        var list = $"{cluster.Queue}:stalled";
        await cluster.StartSilo(new Dictionary<string, string?> { [$"Backend:Forward:{Type}"] = list, ["Backend:MaxQueueLength"] = "2" });
        var gateway = await cluster.StartGateway();
        var session = await DjangoSessions.StoreLogin(cluster.Redis, "504");
        await using var client = await TestSocket.Connect(RealtimeCluster.WebSocketUri(gateway, session));
        await client.Next("welcome");

        for (var i = 1; i <= 3; i++)
        {
            await client.SendText($$$"""{"type":"{{{Type}}}","id":{{{i}}},"data":{}}""");
        }
        var error = await client.Next("error");

        Assert.Equal(ErrorCodes.Unavailable, error.GetProperty("data").GetProperty("code").GetString());
        Assert.Equal(3, error.GetProperty("id").GetInt32());
        Assert.Equal(2, await cluster.Redis.Database.ListLengthAsync(list));
    }

    private async Task<TestSocket> Connect(string session)
    {
        var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session));
        await socket.Next("welcome");
        return socket;
    }
}
