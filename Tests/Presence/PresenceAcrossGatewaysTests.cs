using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Presence;

/// <summary>
/// Presence as an operator deploys it: two silos and two gateway processes with the shipped defaults, users on both
/// gateways, a chart watched from both. The counts are the cluster's, whichever gateway is asked and however it is
/// asked (the <c>presence</c> message or the HTTP API), and a gateway killed with SIGKILL leaves them by itself.
/// </summary>
public sealed class PresenceAcrossGatewaysTests : IAsyncLifetime
{
    private const string Key = "presence-test-key-0123456789abcdef0123456789";
    private const string Symbol = "PRES";
    private const string Chart = "PRES|1m|SMA(close,5)";
    private readonly HttpClient _http = new();
    private readonly List<TestSocket> _sockets = [];
    private ProcessDeployment _deployment = null!;

    public async Task InitializeAsync()
    {
        _deployment = await ProcessDeployment.Start(silos: 2, gateways: 2, gatewayEnvironment: new Dictionary<string, string> { ["Api__Key"] = Key });
        await Infrastructure.Quotes.BackfillHistory(_deployment.Cluster, Symbol);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }
        await _deployment.DisposeAsync();
    }

    [Fact]
    public async Task Counts_add_up_across_both_gateways_and_drop_the_connections_of_a_gateway_that_was_killed()
    {
        var (doomed, survivor) = (_deployment.Gateways[0], _deployment.Gateways[1]);
        // User 701 on both gateways, 702 only on the doomed one, 703 only on the survivor; 701 and 703 watch the chart
        // from the survivor, 702 from the doomed gateway.
        var both = await DjangoSessions.StoreLogin(_deployment.Redis, "701");
        var doomedOnly = await DjangoSessions.StoreLogin(_deployment.Redis, "702");
        var survivorOnly = await DjangoSessions.StoreLogin(_deployment.Redis, "703");
        await Connect(doomed, both);
        var watcherOnSurvivor = await Connect(survivor, both);
        await WatchChart(watcherOnSurvivor);
        await WatchChart(await Connect(doomed, doomedOnly));
        var asker = await Connect(survivor, survivorOnly);
        await WatchChart(asker);

        var expected = new Counts(OnlineUsers: 3, Connections: 4, [("701", 2), ("702", 1), ("703", 1), ("704", 0)], ChartWatchers: 3);
        await Eventually.True(async () => await ByMessage(asker) == expected, $"the presence message says {expected}", TimeSpan.FromSeconds(20));
        Assert.Equal(expected, await ByApi(doomed));
        Assert.Equal(expected, await ByApi(survivor));

        await doomed.Kill();
        _deployment.Gateways.Remove(doomed);

        // The dead gateway reported nothing more: its connections and its watcher leave the counts within seconds.
        var started = DateTime.UtcNow;
        var after = new Counts(OnlineUsers: 2, Connections: 2, [("701", 1), ("702", 0), ("703", 1), ("704", 0)], ChartWatchers: 2);
        await Eventually.True(async () => await ByApi(survivor) == after, $"the API says {after} after the gateway died", TimeSpan.FromSeconds(30));
        Console.WriteLine($"presence: a killed gateway left the counts {(DateTime.UtcNow - started).TotalSeconds:F1} s after SIGKILL");
        Assert.Equal(after, await ByMessage(asker));
        var online = await Api(survivor, HttpMethod.Get, "/api/presence", null);
        Assert.Equal(["701:1", "703:1"], online.GetProperty("users").EnumerateArray()
            .Select(u => $"{u.GetProperty("user").GetString()}:{u.GetProperty("connections").GetInt32()}"));
    }

    private sealed record Counts(int OnlineUsers, int Connections, (string User, int Count)[] Users, int ChartWatchers)
    {
        public bool Equals(Counts? other) =>
            other is not null && OnlineUsers == other.OnlineUsers && Connections == other.Connections
            && Users.SequenceEqual(other.Users) && ChartWatchers == other.ChartWatchers;

        public override int GetHashCode() => HashCode.Combine(OnlineUsers, Connections, ChartWatchers);

        public override string ToString() =>
            $"{OnlineUsers} users, {Connections} connections, {string.Join(" ", Users.Select(u => $"{u.User}:{u.Count}"))}, {ChartWatchers} watching";

        public static Counts From(JsonElement answer) => new(
            answer.GetProperty("online").GetProperty("users").GetInt32(),
            answer.GetProperty("online").GetProperty("connections").GetInt32(),
            [.. answer.GetProperty("users").EnumerateObject().Select(u => (u.Name, u.Value.GetInt32()))],
            answer.GetProperty("charts").GetProperty(Chart).GetInt32());
    }

    private const string Question = $$"""{"users":["701","702","703","704"],"charts":["{{Chart}}"]}""";

    private static async Task<Counts> ByMessage(TestSocket socket)
    {
        var id = Guid.NewGuid().ToString("N");
        await socket.SendText($$"""{"type":"presence","id":"{{id}}","data":{{Question}}}""");
        while (true)
        {
            var answer = await socket.Next("presence");
            if (answer.GetProperty("id").GetString() == id)
            {
                return Counts.From(answer.GetProperty("data"));
            }
        }
    }

    private async Task<Counts> ByApi(ProductProcess gateway) => Counts.From(await Api(gateway, HttpMethod.Post, "/api/presence", Question));

    private async Task<JsonElement> Api(ProductProcess gateway, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, gateway.Http(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task<TestSocket> Connect(ProductProcess gateway, string session)
    {
        var socket = await TestSocket.Connect(gateway.WebSocket(session));
        _sockets.Add(socket);
        await socket.Next("welcome");
        return socket;
    }

    private static async Task WatchChart(TestSocket socket)
    {
        await socket.SendJson(new { type = "mychart", id = "open", data = new { action = "open", chartId = "c1", symbol = Symbol, period = "1m", mode = "dynamic", indicators = new[] { "SMA(close,5)" } } });
        await socket.Next("chart.snapshot");
    }
}
