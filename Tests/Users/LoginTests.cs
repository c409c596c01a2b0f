using System.Net;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Users;

/// <summary>Logging in over a real WebSocket with each reference Django session.</summary>
public sealed class LoginTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await DjangoSessions.StoreAll(_cluster.Redis);
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public static TheoryData<string, string> AcceptedSessions()
    {
        var data = new TheoryData<string, string>();
        foreach (var session in DjangoSessions.All.Where(s => s.TryGetProperty("expect_user_id", out _)))
        {
            data.Add(session.GetProperty("name").GetString()!, session.GetProperty("expect_user_id").GetString()!);
        }
        return data;
    }

    public static TheoryData<string> RefusedSessions()
    {
        var data = new TheoryData<string>();
        foreach (var session in DjangoSessions.All.Where(s => !s.TryGetProperty("expect_user_id", out _)))
        {
            data.Add(session.GetProperty("name").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AcceptedSessions))]
    public async Task A_valid_session_logs_in_and_is_welcomed_with_its_user_id(string session, string userId)
    {
        var key = DjangoSessions.Named(session).GetProperty("session_key").GetString()!;
        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, key));

        var welcome = await socket.Next("welcome");

        Assert.Equal(userId, welcome.GetProperty("data").GetProperty("userId").GetString());
        Assert.Matches("^[0-9a-f]{32}$", welcome.GetProperty("data").GetProperty("instanceId").GetString());
        Assert.True(welcome.GetProperty("data").GetProperty("heartbeatSeconds").GetInt32() > 0);
    }

    [Fact]
    public async Task A_browser_logs_in_with_the_session_cookie()
    {
        var key = DjangoSessions.Named("signed-small").GetProperty("session_key").GetString()!;
        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway), cookieSession: key);

        var welcome = await socket.Next("welcome");

        Assert.Equal("42", welcome.GetProperty("data").GetProperty("userId").GetString());
    }

    [Theory]
    [MemberData(nameof(RefusedSessions))]
    public async Task A_bad_session_gets_401_and_no_socket(string session)
    {
        var key = DjangoSessions.Named(session).GetProperty("session_key").GetString()!;

        Assert.Equal(HttpStatusCode.Unauthorized, await TestSocket.RefusedStatus(RealtimeCluster.WebSocketUri(_gateway, key)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("bad key with spaces")]
    [InlineData("x*")]
    [InlineData("../../etc/passwd")]
    public async Task A_missing_unknown_or_malformed_session_id_gets_401(string? sessionId)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await TestSocket.RefusedStatus(RealtimeCluster.WebSocketUri(_gateway, sessionId)));
    }

    [Fact]
    public async Task A_10_KB_session_id_gets_the_documented_401_in_the_query_or_the_cookie()
    {
        var huge = new string('a', 10 * 1024);

        Assert.Equal(HttpStatusCode.Unauthorized, await TestSocket.RefusedStatus(RealtimeCluster.WebSocketUri(_gateway, huge)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await TestSocket.Refused(RealtimeCluster.WebSocketUri(_gateway), cookieSession: huge)).Status);
    }

    [Fact]
    public async Task A_plain_http_request_to_the_socket_endpoint_gets_400()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync(RealtimeCluster.HttpUri(_gateway, "/ws"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
