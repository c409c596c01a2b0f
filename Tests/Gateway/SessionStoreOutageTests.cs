using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Realtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Realtime.Tests.Gateway;

/// <summary>
/// Redis, the session store, killed under clients that keep connecting: an outage is not a bad session, so they are
/// told 503 with Retry-After (never 401) and log in again once Redis is back, with no restart of the gateway.
/// </summary>
public sealed class SessionStoreOutageTests : IAsyncLifetime
{
    private const int Clients = 8;
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    private readonly RedisServer _redis = RedisServer.StartPrivate();
    private readonly RealtimeCluster _cluster;
    private readonly CapturedLogs _logs = new();
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false });
    private WebApplication _gateway = null!;

    private readonly ITestOutputHelper _output;

    public SessionStoreOutageTests(ITestOutputHelper output)
    {
        _output = output;
        _cluster = new RealtimeCluster(_redis) { ConfigureGateway = builder => builder.Logging.AddProvider(_logs) };
    }

    public async Task InitializeAsync()
    {
        // Every write on disk at once, so the session survives the SIGKILL below.
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
    public async Task Clients_get_503_with_retry_after_while_redis_is_down_never_401_and_log_in_once_it_is_back()
    {
        var session = await DjangoSessions.Store(_redis, "signed-small");
        await using (var first = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session)))
        {
            await first.Next("welcome");
        }
        var refusals = new ConcurrentQueue<(HttpStatusCode Status, bool RetryAfter)>();
        using var stop = new CancellationTokenSource(Recovery * 2);

        await _redis.Stop();
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(() => ConnectUntilWelcomed(session, refusals, stop.Token))).ToArray();
        await Eventually.True(() => refusals.Count >= 3 * Clients, "every client refused a few times while Redis is down");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SessionStatus(session)).StatusCode);

        await _redis.Restart();
        var back = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(clients).WaitAsync(Recovery);
        _output.WriteLine($"{refusals.Count} refusals while Redis was down: {string.Join(", ", refusals.GroupBy(r => r.Status).Select(g => $"{(int)g.Key} x{g.Count()}"))}; "
            + $"all {Clients} clients logged in {back.Elapsed.TotalSeconds:0.0} s after Redis was back");

        Assert.All(refusals, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status));
        Assert.All(refusals, r => Assert.True(r.RetryAfter, "a 503 without Retry-After"));
        Assert.Equal(HttpStatusCode.NoContent, (await SessionStatus(session)).StatusCode);
        // StackExchange.Redis names the command's key, the session id, in its exception messages.
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(session, StringComparison.Ordinal));
        Assert.Contains("realtime_gateway_logins_unavailable_total", await _http.GetStringAsync(RealtimeCluster.HttpUri(_gateway, "/metrics")));
    }

    [Fact]
    public async Task A_hung_redis_answers_503_after_the_command_timeout_without_logging_the_session_id()
    {
        var session = await DjangoSessions.Store(_redis, "signed-small");

        await _redis.Pause();
        try
        {
            var (status, headers) = await TestSocket.Refused(RealtimeCluster.WebSocketUri(_gateway, session));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.True(headers.ContainsKey("Retry-After"));
        }
        finally
        {
            await _redis.Resume();
        }
        // The timeout's message reads "next: GET <session id>"; the log line names the kind of failure only.
        Assert.Contains(_logs.Lines, line => line.Contains("Session store unreachable during login: RedisTimeoutException", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(session, StringComparison.Ordinal));
    }

    /// <summary>A client that tries again, a little later each time, until it is welcomed; records every refusal.</summary>
    private async Task ConnectUntilWelcomed(string session, ConcurrentQueue<(HttpStatusCode, bool)> refusals, CancellationToken stop)
    {
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            var (socket, status, headers) = await TestSocket.TryConnect(RealtimeCluster.WebSocketUri(_gateway, session));
            if (socket is null)
            {
                refusals.Enqueue((status, headers.ContainsKey("Retry-After")));
            }
            else
            {
                await using (socket)
                {
                    try
                    {
                        await socket.Next("welcome");
                        return;
                    }
                    catch (TimeoutException)
                    {
                        // Accepted, then closed before welcome (1013: the cluster was not ready yet).
                    }
                }
            }
            await Task.Delay(pause, stop);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 1000));
        }
    }

    private async Task<HttpResponseMessage> SessionStatus(string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, RealtimeCluster.HttpUri(_gateway, "/ws/session"));
        request.Headers.Add("Cookie", $"sessionid={session}");
        return await _http.SendAsync(request);
    }
}
