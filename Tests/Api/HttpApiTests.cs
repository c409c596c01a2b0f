using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Realtime.Connections;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Api;

/// <summary>
/// The HTTP API beside the service queue (docs/protocol.md 3): the key, every bad body answered 400 naming its
/// field, the size limit, and each instruction reaching real WebSocket clients the way the <c>site</c> message does.
/// </summary>
public sealed class HttpApiTests(HttpApiTests.ApiCluster api) : IClassFixture<HttpApiTests.ApiCluster>, IDisposable
{
    private const string Key = ApiCluster.Key;
    private const int MaxBodyBytes = ApiCluster.MaxBodyBytes;
    private readonly HttpClient _http = new();

    private CapturedLogs Logs => api.Logs;

    private RealtimeCluster Cluster => api.Cluster;

    private WebApplication ApiGateway => api.Gateway;

    /// <summary>One silo and one gateway with the API on, shared by the class: most tests are one request each.</summary>
    public sealed class ApiCluster : IAsyncLifetime
    {
        public const string Key = "test-api-key-0123456789abcdef0123456789abcdef";
        public const int MaxBodyBytes = 8192;

        public ApiCluster()
        {
            Cluster = new RealtimeCluster(RedisServer.Shared) { ConfigureGateway = builder => builder.Logging.AddProvider(Logs) };
        }

        public CapturedLogs Logs { get; } = new();

        public RealtimeCluster Cluster { get; }

        public WebApplication Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Cluster.StartSilo();
            Gateway = await Cluster.StartGateway(new Dictionary<string, string?> { ["Api:Key"] = Key, ["Api:MaxBodyBytes"] = MaxBodyBytes.ToString() });
        }

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    public static TheoryData<string, string> Endpoints() => new()
    {
        { "POST", "/api/push" },
        { "POST", "/api/broadcast" },
        { "POST", "/api/logout" },
        { "POST", "/api/presence" },
        { "GET", "/api/presence" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_answers_401_without_the_key_with_a_wrong_key_or_another_scheme(string method, string path)
    {
        foreach (var authorization in new string?[] { null, "Bearer wrong-key", $"Bearer {Key}x", $"Basic {Key}", Key, "Bearer " })
        {
            using var request = Request(method, path, """{"users":["1"],"message":{"type":"x"}}""", authorization);
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        Assert.DoesNotContain(Logs.Lines, line => line.Contains(Key));
    }

    public static TheoryData<string, string, string> BadBodies() => new()
    {
        // path, body, the field the answer must name ("" for the body itself)
        { "/api/push", "", "" },
        { "/api/push", "[1]", "" },
        { "/api/push", "\"push\"", "" },
        { "/api/push", """{"message":{"type":"x"}}""", "users" },
        { "/api/push", """{"users":"42","message":{"type":"x"}}""", "users" },
        { "/api/push", """{"users":[],"message":{"type":"x"}}""", "users" },
        { "/api/push", """{"users":[true],"message":{"type":"x"}}""", "users[0]" },
        { "/api/push", """{"users":["1",""],"message":{"type":"x"}}""", "users[1]" },
        { "/api/push", $$$"""{"users":["{{{new string('9', 129)}}}"],"message":{"type":"x"}}""", "users[0]" },
        { "/api/push", """{"users":["1"]}""", "message" },
        { "/api/push", """{"users":["1"],"message":"hi"}""", "message" },
        { "/api/push", """{"users":["1"],"message":{"data":1}}""", "message.type" },
        { "/api/push", """{"users":["1"],"message":{"type":""}}""", "message.type" },
        { "/api/push", """{"users":["1"],"message":{"type":7}}""", "message.type" },
        { "/api/push", $$$"""{"users":["1"],"message":{"type":"{{{new string('t', 65)}}}"}}""", "message.type" },
        { "/api/push", """{"users":["1"],"message":{"type":"x","id":{"a":1}}}""", "message.id" },
        { "/api/push", $$$"""{"users":["1"],"message":{"type":"x","id":"{{{new string('i', 129)}}}"}}""", "message.id" },
        { "/api/push", """{"users":["1"],"message":{"type":"x","extra":1}}""", "message.extra" },
        { "/api/push", """{"instances":"abc","message":{"type":"x"}}""", "instances" },
        { "/api/push", """{"instances":[],"message":{"type":"x"}}""", "instances" },
        { "/api/push", """{"instances":[1],"message":{"type":"x"}}""", "instances[0]" },
        { "/api/push", $$$"""{"instances":["{{{new string('a', 65)}}}"],"message":{"type":"x"}}""", "instances[0]" },
        { "/api/push", """{"users":["1"],"message":{"type":"x"},"action":"push"}""", "action" },
        { "/api/push", $$$"""{"users":[{{{string.Join(",", Enumerable.Range(0, 101))}}}],"instances":[{{{string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"i{i}\""))}}}],"message":{"type":"x"}}""", "instances" },
        { "/api/push", """{"user":["1"],"message":{"type":"x"}}""", "user" },
        { "/api/broadcast", "", "" },
        { "/api/broadcast", "[{}]", "" },
        { "/api/logout", "\"logout\"", "" },
        { "/api/broadcast", "{}", "message" },
        { "/api/broadcast", """{"message":{"type":"x"},"users":["1"]}""", "users" },
        { "/api/broadcast", """{"message":[]}""", "message" },
        { "/api/logout", "{}", "users" },
        { "/api/logout", """{"users":[null]}""", "users[0]" },
        { "/api/logout", """{"users":["1"],"message":{"type":"x"}}""", "message" },
        { "/api/presence", "[]", "" },
        { "/api/presence", """{"users":"1"}""", "users" },
        { "/api/presence", """{"users":[[]]}""", "users[0]" },
        { "/api/presence", """{"charts":[""]}""", "charts[0]" },
        { "/api/presence", """{"charts":"AAPL|1m|"}""", "charts" },
        { "/api/presence", """{"chart":["AAPL|1m|"]}""", "chart" },
        { "/api/presence", $$"""{"users":[{{string.Join(",", Enumerable.Range(0, 1001))}}]}""", "users" },
        { "/api/presence", $$"""{"charts":[{{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"c{i}\""))}}]}""", "charts" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Every_bad_body_is_answered_400_naming_the_field(string path, string body, string field)
    {
        using var response = await Send("POST", path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (field.Length == 0)
        {
            // Absent means absent (docs/protocol.md 3.1): no "field": "" for the body itself.
            Assert.False(answer.TryGetProperty("field", out var none), $"field {none}");
            Assert.StartsWith("the body", answer.GetProperty("error").GetString());
        }
        else
        {
            Assert.Equal(field, answer.GetProperty("field").GetString());
            Assert.StartsWith($"'{field}'", answer.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Text_that_is_not_json_is_answered_400()
    {
        using var response = await Send("POST", "/api/push", "{users: [1]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=10001", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?limit=1&limit=2", "limit")]
    [InlineData("?after=", "after")]
    [InlineData("?after=a&after=b", "after")]
    public async Task A_bad_page_of_the_online_list_is_answered_400_naming_the_parameter(string query, string field)
    {
        using var response = await Send("GET", "/api/presence" + query, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_answered_413_whether_its_length_is_announced_or_not()
    {
        var body = $$$"""{"users":["1"],"message":{"type":"x","data":"{{{new string('x', MaxBodyBytes)}}}"}}""";

        using var announced = await Send("POST", "/api/push", body);
        using var request = Request("POST", "/api/push", null, $"Bearer {Key}");
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        request.Headers.TransferEncodingChunked = true;
        using var chunked = await _http.SendAsync(request);
        using var justUnder = await Send("POST", "/api/push", $$$"""{"users":["1"],"message":{"type":"x","data":"{{{new string('x', MaxBodyBytes - 60)}}}"}}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, announced.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, justUnder.StatusCode);
    }

    [Fact]
    public async Task Push_reaches_every_connection_of_the_users_or_only_the_named_connections_with_the_id()
    {
        var session = await DjangoSessions.StoreLogin(Cluster.Redis, "601");
        await using var first = await Connect(session);
        await using var second = await Connect(session);

        using var toUser = await Send("POST", "/api/push", """{"users":["601"],"message":{"type":"notice","data":{"n":1}}}""");
        Assert.Equal(HttpStatusCode.NoContent, toUser.StatusCode);
        Assert.Equal(1, (await first.Socket.Next("notice")).GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal(1, (await second.Socket.Next("notice")).GetProperty("data").GetProperty("n").GetInt32());

        using var toConnection = await Send("POST", "/api/push", $$$$"""{"instances":["{{{{second.InstanceId}}}}"],"message":{"type":"notice","id":"r-9","data":{"n":2}}}""");
        using var toUsersConnection = await Send("POST", "/api/push", $$$$"""{"users":[601],"instances":["{{{{first.InstanceId}}}}"],"message":{"type":"notice","id":5,"data":{"n":3}}}""");
        Assert.Equal(HttpStatusCode.NoContent, toConnection.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, toUsersConnection.StatusCode);

        var atSecond = await second.Socket.Next("notice");
        Assert.Equal(2, atSecond.GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal("r-9", atSecond.GetProperty("id").GetString());
        var atFirst = await first.Socket.Next("notice");
        Assert.Equal(3, atFirst.GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal(5, atFirst.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Broadcast_reaches_every_connection_and_logout_closes_the_users_connections_with_4001()
    {
        await using var a = await Connect(await DjangoSessions.StoreLogin(Cluster.Redis, "611"));
        await using var b = await Connect(await DjangoSessions.StoreLogin(Cluster.Redis, "612"));

        using var broadcast = await Send("POST", "/api/broadcast", """{"message":{"type":"maintenance","data":{"at":"tonight"}}}""");
        Assert.Equal(HttpStatusCode.NoContent, broadcast.StatusCode);
        await a.Socket.Next("maintenance");
        await b.Socket.Next("maintenance");

        using var logout = await Send("POST", "/api/logout", """{"users":["611"]}""");
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal((WebSocketCloseStatus)CloseCodes.LoggedOut, await a.Socket.WaitClosed());
        Assert.Equal(WebSocketState.Open, b.Socket.State);
    }

    [Fact]
    public async Task Presence_answers_totals_the_users_asked_for_and_the_online_list_in_pages()
    {
        await using var a = await Connect(await DjangoSessions.StoreLogin(Cluster.Redis, "621"));
        await using var b = await Connect(await DjangoSessions.StoreLogin(Cluster.Redis, "621"));
        await using var c = await Connect(await DjangoSessions.StoreLogin(Cluster.Redis, "622"));

        // Only these two: the other tests' clients have left (presence follows within a report interval).
        JsonElement answer = default;
        await Eventually.True(async () =>
        {
            using var response = await Send("POST", "/api/presence", """{"users":["621",622,"623"]}""");
            answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return answer.GetProperty("online").GetProperty("users").GetInt32() == 2 && answer.GetProperty("users").GetProperty("622").GetInt32() == 1;
        }, "both users are online, and nobody else", TimeSpan.FromSeconds(15));
        Assert.Equal(3, answer.GetProperty("online").GetProperty("connections").GetInt32());
        Assert.Equal(2, answer.GetProperty("users").GetProperty("621").GetInt32());
        Assert.Equal(1, answer.GetProperty("users").GetProperty("622").GetInt32());
        Assert.Equal(0, answer.GetProperty("users").GetProperty("623").GetInt32());

        using var empty = await Send("POST", "/api/presence", "");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);

        using var firstPage = await Send("GET", "/api/presence?limit=1", null);
        var page = JsonDocument.Parse(await firstPage.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("621", page.GetProperty("users")[0].GetProperty("user").GetString());
        Assert.Equal(2, page.GetProperty("users")[0].GetProperty("connections").GetInt32());
        Assert.Equal("621", page.GetProperty("next").GetString());
        using var secondPage = await Send("GET", "/api/presence?limit=1&after=621", null);
        page = JsonDocument.Parse(await secondPage.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("622", page.GetProperty("users")[0].GetProperty("user").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task The_api_answers_503_with_retry_after_when_the_cluster_is_unavailable()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        var silo = await cluster.StartSilo();
        var gateway = await cluster.StartGateway(new Dictionary<string, string?> { ["Api:Key"] = Key });
        await cluster.StopSilo(silo);

        using var push = await Send("POST", "/api/push", """{"users":["1"],"message":{"type":"x"}}""", gateway);
        using var presence = await Send("POST", "/api/presence", "{}", gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, push.StatusCode);
        Assert.NotNull(push.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, presence.StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_key_there_is_no_api()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await cluster.StartSilo();
        var gateway = await cluster.StartGateway();

        using var response = await Send("POST", "/api/push", """{"users":["1"],"message":{"type":"x"}}""", gateway);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_key_is_never_logged()
    {
        using var ok = await Send("POST", "/api/push", """{"users":["1"],"message":{"type":"x"}}""");
        using var bad = await Send("POST", "/api/push", "{", authorization: $"Bearer {Key[..^1]}");
        using var wrong = await Send("POST", "/api/push", "{}", authorization: $"Bearer {Key}");

        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.DoesNotContain(Logs.Lines, line => line.Contains(Key[..^1]));
    }

    private async Task<Connected> Connect(string session)
    {
        var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(ApiGateway, session));
        var welcome = (await socket.Next("welcome")).GetProperty("data");
        return new Connected(socket, welcome.GetProperty("userId").GetString()!, welcome.GetProperty("instanceId").GetString()!);
    }

    private Task<HttpResponseMessage> Send(string method, string path, string? body, WebApplication? gateway = null, string? authorization = null) =>
        _http.SendAsync(Request(method, path, body, authorization ?? $"Bearer {Key}", gateway));

    private HttpRequestMessage Request(string method, string path, string? body, string? authorization, WebApplication? gateway = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), RealtimeCluster.HttpUri(gateway ?? ApiGateway, path));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        if (body is not null && method == "POST")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return request;
    }
}
