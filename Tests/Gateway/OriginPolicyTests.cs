using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Gateway;

/// <summary>
/// <c>Gateway:AllowedOrigins</c> over real sockets: a browser page of another origin cannot use the user's cookie on
/// <c>/ws</c> (cross-site WebSocket hijacking), the gateway's own pages and the configured origins can, and programs,
/// which send no <c>Origin</c>, are not affected.
/// </summary>
public sealed class OriginPolicyTests : IAsyncLifetime
{
    private const string Evil = "http://evil.example";
    private const string Site = "https://www.site.example";

    private readonly CapturedLogs _logs = new();
    private readonly RealtimeCluster _cluster;
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false });
    private WebApplication _gateway = null!;
    private WebApplication _siteGateway = null!;
    private WebApplication _anyGateway = null!;

    public OriginPolicyTests()
    {
        _cluster = new RealtimeCluster(RedisServer.Shared)
        {
            ConfigureGateway = builder => builder.Logging.AddProvider(_logs),
        };
    }

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
        _siteGateway = await _cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:AllowedOrigins:0"] = Site + "/" });
        _anyGateway = await _cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:AllowedOrigins:0"] = "*" });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_page_of_another_origin_gets_403_before_its_session_is_read()
    {
        var session = await NewSession();
        await using var monitor = await RedisMonitor.Start(_cluster.Redis);

        var (status, _) = await TestSocket.Refused(RealtimeCluster.WebSocketUri(_gateway), cookieSession: session, origin: Evil);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        await monitor.Sync(_cluster.Redis);
        Assert.DoesNotContain(session, monitor.Seen);
        // The same request without the foreign Origin is looked up: the monitor would have seen it.
        await using (var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway), session))
        {
            await socket.Next("welcome");
        }
        await monitor.Sync(_cluster.Redis);
        Assert.Contains(session, monitor.Seen);
        Assert.Contains(_logs.Lines, line => line.Contains(Evil, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(session, StringComparison.Ordinal));
        await Eventually.True(async () => (await Metrics(_gateway)).Split('\n')
                .Any(line => line.StartsWith("realtime_gateway_origins_refused_total{", StringComparison.Ordinal) && line.Contains("path=\"/ws\"", StringComparison.Ordinal)),
            "the refusal is counted by path");
    }

    [Fact]
    public async Task A_page_of_the_gateways_own_origin_logs_in()
    {
        var own = RealtimeCluster.HttpUri(_gateway, "/").GetLeftPart(UriPartial.Authority);

        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway), await NewSession(), origin: own);

        Assert.Equal("42", (await socket.Next("welcome")).GetProperty("data").GetProperty("userId").GetString());
    }

    [Fact]
    public async Task A_program_without_an_origin_logs_in()
    {
        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway), await NewSession());

        await socket.Next("welcome");
    }

    [Fact]
    public async Task A_configured_origin_logs_in_and_the_same_host_on_another_port_or_scheme_does_not()
    {
        var session = await NewSession();
        await using (var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_siteGateway), session, origin: "https://WWW.site.example:443"))
        {
            await socket.Next("welcome");
        }

        foreach (var other in new[] { "https://www.site.example:8443", "http://www.site.example", "https://site.example", "null", Evil })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await TestSocket.Refused(RealtimeCluster.WebSocketUri(_siteGateway), session, other)).Status);
        }
    }

    [Fact]
    public async Task A_star_allows_every_origin_but_only_where_it_is_configured()
    {
        var session = await NewSession();

        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_anyGateway), session, origin: Evil);

        await socket.Next("welcome");
        Assert.Equal(HttpStatusCode.Forbidden, (await TestSocket.Refused(RealtimeCluster.WebSocketUri(_siteGateway), session, Evil)).Status);
    }

    [Fact]
    public async Task The_session_check_answers_204_401_or_403_and_a_foreign_page_only_ever_403()
    {
        var session = await NewSession();

        var valid = await SessionStatus(_siteGateway, session, Site);
        var unknown = await SessionStatus(_siteGateway, "0123456789abcdef0123456789abcdef", Site);
        var evil = await SessionStatus(_siteGateway, session, Evil);
        var program = await SessionStatus(_siteGateway, session, origin: null);

        Assert.Equal(HttpStatusCode.NoContent, valid.StatusCode);
        Assert.Equal(Site, valid.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", valid.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
        // A foreign page may read that it is refused, so its client stops, and nothing else.
        Assert.Equal(HttpStatusCode.NoContent, program.StatusCode);
    }

    [Theory]
    [InlineData("www.site.example")]
    [InlineData("https://www.site.example/login")]
    [InlineData("ftp://www.site.example")]
    public async Task An_allowed_origin_that_is_not_an_origin_stops_start_up_naming_the_setting(string entry)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => _cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:AllowedOrigins:0"] = entry }));

        Assert.Contains("Gateway:AllowedOrigins", error.Message);
    }

    /// <summary>A fresh session of user 42 under a key of its own, so the monitor can look for exactly that key.</summary>
    private async Task<string> NewSession()
    {
        var key = Guid.NewGuid().ToString("N");
        var value = DjangoSessions.Named("signed-small").GetProperty("value").GetString();
        await _cluster.Redis.Database.StringSetAsync(key, value, TimeSpan.FromMinutes(10));
        return key;
    }

    private async Task<HttpResponseMessage> SessionStatus(WebApplication gateway, string session, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, RealtimeCluster.HttpUri(gateway, "/ws/session"));
        request.Headers.Add("Cookie", $"sessionid={session}");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return await _http.SendAsync(request);
    }

    private Task<string> Metrics(WebApplication gateway) => _http.GetStringAsync(RealtimeCluster.HttpUri(gateway, "/metrics"));
}
