using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Net.Http.Headers;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Users;

/// <summary><c>GET /demo/login</c>: a Django session made by the gateway itself, only when <c>Gateway:DemoLogin</c> is on.</summary>
public sealed class DemoLoginTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
    private WebApplication _demoGateway = null!;
    private WebApplication _plainGateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _demoGateway = await _cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:DemoLogin"] = "true" });
        _plainGateway = await _cluster.StartGateway();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Demo_login_redirects_home_with_a_session_cookie_that_logs_in_over_the_websocket_as_that_user()
    {
        var response = await _http.GetAsync(RealtimeCluster.HttpUri(_demoGateway, "/demo/login?user=alice_01"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var cookie = SessionCookie(response);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path.Value);

        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_demoGateway), cookieSession: cookie.Value.Value);
        var welcome = await socket.Next("welcome");

        Assert.Equal("alice_01", welcome.GetProperty("data").GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Demo_login_asked_by_a_script_of_another_origin_gets_403_and_no_cookie()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, RealtimeCluster.HttpUri(_demoGateway, "/demo/login?user=victim"));
        request.Headers.Add("Origin", "http://evil.example");

        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie));
    }

    [Fact]
    public async Task Demo_login_without_a_user_logs_in_as_demo()
    {
        var response = await _http.GetAsync(RealtimeCluster.HttpUri(_demoGateway, "/demo/login"));

        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_demoGateway, SessionCookie(response).Value.Value));

        Assert.Equal("demo", (await socket.Next("welcome")).GetProperty("data").GetProperty("userId").GetString());
    }

    [Fact]
    public async Task The_demo_session_is_stored_in_redis_for_twelve_hours()
    {
        var response = await _http.GetAsync(RealtimeCluster.HttpUri(_demoGateway, "/demo/login?user=bob"));
        var sessionKey = SessionCookie(response).Value.Value!;

        var ttl = await _cluster.Redis.Database.KeyTimeToLiveAsync(sessionKey);

        Assert.InRange(ttl!.Value, TimeSpan.FromHours(12) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(12));
        Assert.Equal(TimeSpan.FromHours(12), SessionCookie(response).MaxAge);
    }

    [Fact]
    public async Task Without_the_option_the_demo_login_route_does_not_exist()
    {
        var response = await _http.GetAsync(RealtimeCluster.HttpUri(_plainGateway, "/demo/login?user=alice"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("has%20space")]
    [InlineData("a%2Fb")]
    [InlineData("%C3%BCser")]
    [InlineData("a&user=b")]
    public async Task A_bad_user_id_gets_400_and_no_session(string user)
    {
        var response = await _http.GetAsync(RealtimeCluster.HttpUri(_demoGateway, "/demo/login?user=" + user));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie));
    }

    private static SetCookieHeaderValue SessionCookie(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues(HeaderNames.SetCookie, out var cookies), $"no Set-Cookie on {response.StatusCode}");
        return SetCookieHeaderValue.ParseList([.. cookies]).Single(c => c.Name == "sessionid");
    }
}
