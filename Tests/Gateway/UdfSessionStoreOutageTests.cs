using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Gateway;

/// <summary>
/// <c>/udf</c> while the session store (Redis) is down: 503 with Retry-After (the session may be fine), never 401,
/// and answers again once Redis is back, with no restart of the gateway.
/// </summary>
public sealed class UdfSessionStoreOutageTests : IAsyncLifetime
{
    private readonly RedisServer _redis = RedisServer.StartPrivate();
    private readonly RealtimeCluster _cluster;
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false });
    private WebApplication _gateway = null!;

    public UdfSessionStoreOutageTests() => _cluster = new RealtimeCluster(_redis);

    public async Task InitializeAsync()
    {
        await RedisCli.Run(_redis, "config", "set", "appendfsync", "always");
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_session_store_outage_is_503_with_retry_after_not_401_and_passes()
    {
        var session = await DjangoSessions.Store(_redis, "signed-small");
        Assert.Equal(HttpStatusCode.OK, (await Config(session)).Status);

        await _redis.Stop();
        try
        {
            var (status, retryAfter, body) = await Config(session);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.True(retryAfter, "a 503 without Retry-After");
            Assert.Equal("error", body.GetProperty("s").GetString());
        }
        finally
        {
            await _redis.Restart();
        }
        await Eventually.True(async () => (await Config(session)).Status == HttpStatusCode.OK, "answered again after Redis came back", TimeSpan.FromSeconds(60));
    }

    private async Task<(HttpStatusCode Status, bool RetryAfter, JsonElement Body)> Config(string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, RealtimeCluster.HttpUri(_gateway, "/udf/config"));
        request.Headers.Add("Cookie", $"sessionid={session}");
        using var response = await _http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, response.Headers.Contains("Retry-After"), body);
    }
}
