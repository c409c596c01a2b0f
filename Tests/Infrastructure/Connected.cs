using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace Realtime.Tests.Infrastructure;

/// <summary>A logged-in test socket with its welcome details.</summary>
public sealed record Connected(TestSocket Socket, string UserId, string InstanceId) : IAsyncDisposable
{
    /// <summary>Stores the named reference session, connects with it and waits for <c>welcome</c>.</summary>
    public static async Task<Connected> As(RealtimeCluster cluster, WebApplication gateway, string sessionName)
    {
        var key = await DjangoSessions.Store(cluster.Redis, sessionName);
        var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(gateway, key));
        var welcome = (await socket.Next("welcome")).GetProperty("data");
        return new Connected(socket, welcome.GetProperty("userId").GetString()!, welcome.GetProperty("instanceId").GetString()!);
    }

    public Task<JsonElement> Next(string type, TimeSpan? timeout = null) => Socket.Next(type, timeout);

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
