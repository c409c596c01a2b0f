using System.Diagnostics;
using System.Text.Json;
using Realtime.Gateway.Authentication;
using Realtime.Services;
using Realtime.Tests.Deploy;
using Realtime.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Realtime.Tests.Containers;

/// <summary>
/// The images built from deploy/ and the compose deployment run in containers (podman): Redis with AOF, three silos,
/// two gateways and nginx in front. Browser-like clients log in through nginx with the session cookie and watch a
/// chart while a silo container is killed, one is added and a gateway container is stopped; at the end every chart
/// equals a fresh snapshot holding every quote pushed.
/// </summary>
public sealed class ComposeScenarioTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Symbol = "CTR";
    private static readonly string[] Indicators = ["MA(5)"];
    private const long Start = Infrastructure.Quotes.T0 + 30 * 60_000L;

    private readonly List<Viewer> _viewers = [];
    private ComposeDeployment? _compose;
    private ConnectionMultiplexer? _redis;
    private string _envFile = "";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var viewer in _viewers)
        {
            await viewer.DisposeAsync();
        }
        _redis?.Dispose();
        if (_compose is not null)
        {
            await _compose.DisposeAsync();
        }
        if (_envFile.Length > 0)
        {
            File.Delete(_envFile);
        }
    }

    [PodmanFact]
    public async Task The_images_run_as_the_dockerfiles_say_non_root_with_their_health_check_and_entrypoint()
    {
        output.WriteLine($"images built in {await ProductImages.Build()}");
        foreach (var program in DeployedProgram.All)
        {
            var image = JsonDocument.Parse(await Podman.Output("image", "inspect", ProductImages.Of(program))).RootElement[0];
            var config = image.GetProperty("Config");
            var user = config.GetProperty("User").GetString();
            Assert.Equal("1654", user);
            Assert.Equal(["dotnet", ProjectFiles.AssemblyName(program.Project) + ".dll"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
            // podman keeps the health check beside the config (docker format; the OCI format would drop it).
            var health = image.GetProperty("Healthcheck");
            Assert.Contains(program.Dockerfile.HealthCheckUrl.ToString(), string.Join(' ', health.GetProperty("Test").EnumerateArray().Select(e => e.GetString())));
            Assert.Equal(program.Dockerfile.ExposedPorts.Order().Select(p => $"{p}/tcp"), config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).OrderBy(p => int.Parse(p.Split('/')[0])));
        }
    }

    [PodmanFact]
    public async Task A_client_behind_nginx_keeps_its_chart_exact_while_a_silo_is_killed_one_is_added_and_a_gateway_is_stopped()
    {
        output.WriteLine($"images built in {await ProductImages.Build()}");
        var httpPort = FreePort.Next();
        var redisPort = FreePort.Next();
        _envFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(_envFile, $"Django__SecretKey={RealtimeCluster.DjangoSecretKey}\n");
        _compose = await ComposeDeployment.Create(
            new Dictionary<string, string> { ["HTTP_PORT"] = httpPort.ToString() },
            new Dictionary<string, string> { ["redis:7"] = Podman.LocalImage("redis"), ["nginx:1.28-alpine"] = Podman.LocalImage("nginx") },
            new Dictionary<string, string> { ["gateway.env"] = _envFile });
        var clock = Stopwatch.StartNew();

        // As `docker compose up --scale silo=3 --scale gateway=2` starts it. The test's producer reaches Redis on a
        // loopback port of its own, as the Django site reaches its Redis.
        await _compose.Start("redis", "--publish", $"127.0.0.1:{redisPort}:6379");
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _compose.Start("silo")));
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => _compose.Start("gateway")));
        await _compose.Start("proxy");
        foreach (var container in _compose.Containers("gateway"))
        {
            await ComposeDeployment.WaitHealthy(container, TimeSpan.FromSeconds(120));
        }
        Report($"redis, 3 silos, 2 gateways and nginx up and healthy in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var container in _compose.Containers("silo").Concat(_compose.Containers("gateway")))
        {
            Assert.Equal("1654", await Podman.Output("exec", container, "id", "-u"));
        }

        _redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redisPort},abortConnect=false");
        var queue = new ServiceQueueClient(_redis, "compose-test");
        await queue.Push("queue:rtserver", "bars", new { symbol = Symbol, period = "1m", bars = Infrastructure.Quotes.Rising(30) });
        var origin = $"http://127.0.0.1:{httpPort}";
        for (var i = 0; i < 6; i++)
        {
            var viewer = new Viewer(await Login($"compose-{i}"), Symbol, Indicators, origin);
            await viewer.Start();
            _viewers.Add(viewer);
        }
        await Eventually.True(() => _viewers.All(v => v.Chart.Snapshots > 0), "every client has its snapshot through nginx", TimeSpan.FromSeconds(60));
        var connections = new Dictionary<string, int>();
        foreach (var container in _compose.Containers("gateway"))
        {
            connections[container] = await Connections(container);
        }
        Report($"clients per gateway through nginx: {string.Join(", ", connections.Values)}");

        using var feeding = new CancellationTokenSource();
        var pushed = 0;
        var feeder = Task.Run(async () =>
        {
            for (; !feeding.IsCancellationRequested && pushed < 10_000; pushed++)
            {
                await queue.Push("queue:rtserver", "quote", new { symbol = Symbol, price = 120 + pushed % 11 * 0.5, volume = 1, time = Start + pushed * 100L });
                await Task.Delay(50);
            }
        });
        await AllHearAfter(DateTime.UtcNow, "every client receives live updates");

        // A silo container is killed (SIGKILL, as a crashed host): its grains come back on the others.
        var killed = DateTime.UtcNow;
        await _compose.Kill("silo", _compose.Containers("silo")[0]);
        await AllHearAfter(DateTime.UtcNow.AddSeconds(1), "updates flow again after a silo container was killed");
        ReportGap("silo container killed", killed);

        // A silo container is added.
        var added = DateTime.UtcNow;
        await ComposeDeployment.WaitHealthy(await _compose.Start("silo"), TimeSpan.FromSeconds(120));
        await AllHearAfter(DateTime.UtcNow.AddSeconds(1), "updates flow after a silo container was added");
        ReportGap("silo container added", added);

        // A gateway container is stopped (SIGTERM): its clients are sent away with 1001 and come back through nginx.
        var gateway = connections.MaxBy(c => c.Value).Key;
        var stopped = DateTime.UtcNow;
        var moved = _viewers.Select(v => v.Reconnects).ToArray();
        var (took, exitCode) = await _compose.Stop("gateway", gateway);
        Report($"gateway container stopped in {took.TotalSeconds:F1} s (grace {_compose.StopGracePeriod("gateway").TotalSeconds} s), exit code {exitCode}");
        Assert.Equal(0, exitCode);
        Assert.True(took < _compose.StopGracePeriod("gateway"), $"the gateway took {took} to stop");
        await AllHearAfter(DateTime.UtcNow.AddSeconds(1), "updates flow after a gateway container was stopped");
        ReportGap("gateway container stopped", stopped, _viewers.Where((v, i) => v.Reconnects > moved[i]), "its clients");
        Report($"gateway container stopped: its clients saw their close {string.Join(", ", _viewers.Where((v, i) => v.Reconnects > moved[i]).Select(v => $"{(v.ClosedAt - stopped).TotalSeconds:F1} s ({v.CloseCode})"))} " +
            $"after the stop began, and were back {string.Join(", ", _viewers.Where((v, i) => v.Reconnects > moved[i]).Select(v => $"{(v.ReconnectedAt - stopped).TotalSeconds:F1} s"))} after it");
        ReportGap("gateway container stopped", stopped, _viewers.Where((v, i) => v.Reconnects == moved[i]), "the other gateway's clients");
        Assert.True(_viewers.Sum(v => v.Reconnects) >= connections[gateway], "the stopped gateway's clients reconnected through nginx");
        // What nginx answered the clients' upgrades (its access log is the container's output): 101 accepted, and
        // any 502 or 503 the proxy passed on instead of trying the other gateway.
        var access = await Podman.Run("logs", _compose.Containers("proxy")[0]);
        var answers = (access.Output + access.Error).Split('\n').Where(l => l.Contains("GET /ws", StringComparison.Ordinal))
            .GroupBy(l => System.Text.RegularExpressions.Regex.Match(l, @"HTTP/1\.1"" (\d{3})").Groups[1].Value).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}");
        Report($"nginx answered the upgrades: {string.Join(", ", answers)}; handshakes the clients retried: {_viewers.Sum(v => v.FailedAttempts)}");
        foreach (var error in (access.Output + access.Error).Split('\n').Where(l => l.Contains("[error]", StringComparison.Ordinal) || l.Contains("[warn]", StringComparison.Ordinal)).Take(4))
        {
            Report($"nginx: {error.Trim()}");
        }

        await feeding.CancelAsync();
        await feeder;
        await AssertEveryChartExact(origin, pushed);

        // A silo stops within its grace period too, leaving the cluster.
        var (siloTook, siloExit) = await _compose.Stop("silo", _compose.Containers("silo")[0]);
        Report($"silo container stopped in {siloTook.TotalSeconds:F1} s (grace {_compose.StopGracePeriod("silo").TotalSeconds} s), exit code {siloExit}");
        Assert.Equal(0, siloExit);
        Assert.True(siloTook < _compose.StopGracePeriod("silo"), $"the silo took {siloTook} to stop");
    }

    private async Task<string> Login(string userId)
    {
        var encoder = new DjangoSessionEncoder(new() { SecretKey = RealtimeCluster.DjangoSecretKey });
        var key = DjangoSessionEncoder.NewSessionKey();
        await _redis!.GetDatabase().StringSetAsync(key, encoder.EncodeLogin(userId, DateTimeOffset.UtcNow), TimeSpan.FromMinutes(30));
        return key;
    }

    /// <summary>The gateway's own count of open sockets, from its /metrics inside the container.</summary>
    private static async Task<int> Connections(string gateway)
    {
        var metrics = await Podman.Output("exec", gateway, "wget", "-q", "-O", "-", "http://127.0.0.1:8080/metrics");
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("realtime_gateway_connections", StringComparison.Ordinal) && !l.StartsWith('#'));
        return line is null ? 0 : (int)double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task AllHearAfter(DateTime since, string what) =>
        await Eventually.True(() => _viewers.All(v => v.Chart.LastArrival > since), what, TimeSpan.FromSeconds(120));

    private void ReportGap(string phase, DateTime at, IEnumerable<Viewer>? viewers = null, string who = "a client")
    {
        var longest = (viewers ?? _viewers).Select(v => v.Chart.Gaps.Where(g => g.At > at).Select(g => g.Gap).DefaultIfEmpty(TimeSpan.Zero).Max()).DefaultIfEmpty(TimeSpan.Zero).Max();
        Report($"{phase}: longest silence of {who} {longest.TotalMilliseconds:F0} ms");
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine($"compose scenario: {line}");
    }

    private async Task AssertEveryChartExact(string origin, int pushed)
    {
        JsonElement truth = default;
        var session = await Login("compose-truth");
        await Eventually.True(async () =>
        {
            await using var socket = await TestSocket.Connect(new Uri($"ws://127.0.0.1:{new Uri(origin).Port}/ws"), session, origin);
            truth = await ChartViewer.StaticSnapshot(socket, Symbol, Indicators);
            var volume = truth.GetProperty("data").GetProperty("bars").EnumerateArray().Sum(b => b[5].GetDouble());
            return volume == 30 * 10 + pushed && _viewers.All(v => v.Chart.DifferencesFrom(truth).Count == 0);
        }, "every client's chart equals a fresh snapshot holding every quote pushed", TimeSpan.FromSeconds(90));
        Assert.All(_viewers, v => Assert.Empty(v.Chart.Violations));
        Report($"exact at the end: {_viewers.Count} clients, {pushed} quotes, {_viewers.Sum(v => v.Reconnects)} reconnects, {_viewers.Sum(v => v.Chart.Resumes)} resumed");
    }

    /// <summary>
    /// A browser page's client: logs in through nginx with the session cookie and its page's Origin, keeps a chart
    /// open, and reconnects when the socket closes, within the window a 1001 names or after a backoff.
    /// </summary>
    private sealed class Viewer(string session, string symbol, string[] indicators, string origin) : IAsyncDisposable
    {
        private readonly ChartViewer _viewer = new(session, symbol, indicators);
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;

        public LiveChart Chart => _viewer.Chart;

        public int Reconnects => _viewer.Reconnects;

        /// <summary>When the socket last closed, and how.</summary>
        public DateTime ClosedAt { get; private set; }

        public string CloseCode { get; private set; } = "";

        /// <summary>When the client last got back in.</summary>
        public DateTime ReconnectedAt { get; private set; }

        /// <summary>Handshakes that failed (a 503 or 502 from nginx, a refused connection) and were tried again.</summary>
        public int FailedAttempts { get; private set; }

        private Task<TestSocket> Connect(string key) => TestSocket.Connect(new Uri($"ws://127.0.0.1:{new Uri(origin).Port}/ws"), key, origin);

        public async Task Start()
        {
            await _viewer.Open(Connect);
            _loop = Reconnect();
        }

        private async Task Reconnect()
        {
            while (!_stop.IsCancellationRequested)
            {
                await _viewer.Closed.WaitAsync(_stop.Token).ContinueWith(_ => { });
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
                (ClosedAt, CloseCode) = (DateTime.UtcNow, $"{(int?)_viewer.CloseStatus} {_viewer.CloseDescription}".Trim());
                var window = System.Text.RegularExpressions.Regex.Match(_viewer.CloseDescription ?? "", @"reconnect within (\d+) ms") is { Success: true } m ? int.Parse(m.Groups[1].Value) : 1000;
                for (var attempt = 0; !_stop.IsCancellationRequested; attempt++)
                {
                    await Task.Delay(attempt == 0 ? Random.Shared.Next(window) : 500 * Math.Min(attempt, 10));
                    try
                    {
                        await _viewer.Open(Connect);
                        ReconnectedAt = DateTime.UtcNow;
                        break;
                    }
                    catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or TimeoutException)
                    {
                        FailedAttempts++;
                    }
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            await _viewer.DisposeAsync();
        }
    }
}
