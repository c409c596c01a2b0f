using System.Diagnostics;
using Realtime.Quotes;
using Realtime.Services;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Scale;

/// <summary>
/// The deployment an operator runs, as real processes: three silos and two gateways on Redis clustering, clients
/// spread over both gateways watching one chart, while a silo joins, a silo and a gateway are killed with SIGKILL
/// and Redis is restarted. Every phase prints the longest gap any client saw between two updates.
/// </summary>
public sealed class ScaleAndFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Symbol = "SCALE";
    private static readonly string[] Sessions = ["signed-plain", "signed-small", "signed-compressed", "legacy-pre-3.1", "signed-with-fallback-key", "signed-plain"];
    // The bound is what must never be exceeded; the target (5 s) is reported, not asserted, because a loaded
    // 2-core machine running the whole suite can stretch failure detection well past it.
    private static readonly TimeSpan GapBound = TimeSpan.FromSeconds(60);

    private readonly List<ChartWatcher> _watchers = [];
    private ProcessDeployment _deployment = null!;
    private QuoteFeeder _feeder = null!;

    private RealtimeCluster Cluster => _deployment.Cluster;

    private RedisServer Redis => _deployment.Redis;

    private List<ProductProcess> Silos => _deployment.Silos;

    private List<ProductProcess> Gateways => _deployment.Gateways;

    public async Task InitializeAsync()
    {
        _deployment = await ProcessDeployment.Start();
        await Infrastructure.Quotes.BackfillHistory(Cluster, Symbol);
        _feeder = new QuoteFeeder(Redis.Connection, Cluster.Queue, Symbol);
    }

    public async Task DisposeAsync()
    {
        await _feeder.DisposeAsync();
        foreach (var watcher in _watchers)
        {
            await watcher.DisposeAsync();
        }
        await _deployment.DisposeAsync();
    }

    [Fact]
    public async Task Clients_keep_receiving_through_a_silo_joining_a_silo_and_a_gateway_dying_and_a_redis_restart()
    {
        for (var i = 0; i < Sessions.Length; i++)
        {
            var watcher = new ChartWatcher(DjangoSessions.Named(Sessions[i]).GetProperty("session_key").GetString()!, $"w{i}");
            await watcher.Open(Gateways[i % 2].WebSocket(watcher.SessionKey), Symbol);
            _watchers.Add(watcher);
        }
        _feeder.Start();
        await AllReceiveAfter(DateTime.UtcNow, "every client receives live updates");

        // A silo joins while quotes flow: nobody misses an update.
        var joined = DateTime.UtcNow;
        Silos.Add(await ProductProcess.StartSilo(Cluster));
        await AllReceiveAfter(DateTime.UtcNow.AddSeconds(2), "updates flow after the new silo joined");
        foreach (var watcher in _watchers)
        {
            AssertNoMissedUpdate(watcher, joined);
        }
        Report("silo joins", joined);

        // The silo running the chart is killed: its grains come back elsewhere, with their history.
        var chart = Cluster.Grains.GetGrain<IChartGrain>($"{Symbol}|1m|SMA(close,5)");
        var before = await chart.GetStats();
        var killed = DateTime.UtcNow;
        await _deployment.Kill(_deployment.SiloAt(before.Silo));
        await AllReceiveAfter(DateTime.UtcNow.AddSeconds(1), "updates flow again after the silo was killed");
        var after = await chart.GetStats();
        Assert.NotEqual(before.Silo, after.Silo);
        Report("silo SIGKILL", killed);

        // A gateway is killed: its clients reconnect to the other one and resume their chart.
        var deadGateway = Gateways[0];
        var stranded = _watchers.Where((_, i) => i % 2 == 0).ToArray();
        var gatewayKilled = DateTime.UtcNow;
        await deadGateway.Kill();
        foreach (var watcher in stranded)
        {
            await watcher.Closed.WaitAsync(TimeSpan.FromSeconds(30));
            await watcher.Open(Gateways[1].WebSocket(watcher.SessionKey), Symbol);
        }
        await AllReceiveAfter(DateTime.UtcNow.AddSeconds(1), "the stranded clients receive updates through the other gateway");
        Assert.All(stranded, w => Assert.Equal(1, w.Reconnects));
        Report("gateway SIGKILL", gatewayKilled);

        // Redis restarts: membership, the pump and the quote path recover without anyone stepping in.
        var redisRestarted = DateTime.UtcNow;
        await Redis.RestartGracefully();
        await AllReceiveAfter(DateTime.UtcNow.AddSeconds(1), "updates flow again after Redis restarted", TimeSpan.FromSeconds(90));
        Report("redis restart", redisRestarted);

        // Nothing pushed was lost or applied twice: every quote is in the hour bar's volume exactly once.
        var (pushed, lastPrice) = await _feeder.Stop();
        await Eventually.True(() => _watchers.All(w => w.LastClose == lastPrice), "every client saw the last quote", TimeSpan.FromSeconds(60));
        var hour = (await Cluster.Grains.GetGrain<IQuoteCentreGrain>(Symbol).GetBars("1h", 1)).Single();
        Assert.Equal(30 * 10 + pushed, hour.Volume);
    }

    private async Task AllReceiveAfter(DateTime since, string what, TimeSpan? timeout = null) =>
        await Eventually.True(() => _watchers.All(w => w.Arrivals.Any(a => a.At > since)), what, timeout ?? TimeSpan.FromSeconds(90));

    /// <summary>Within one epoch sequence numbers must not skip: a skip is an update the client never got.</summary>
    private static void AssertNoMissedUpdate(ChartWatcher watcher, DateTime since)
    {
        var window = watcher.Arrivals.Where(a => a.At >= since).ToArray();
        for (var i = 1; i < window.Length; i++)
        {
            if (window[i].Epoch == window[i - 1].Epoch)
            {
                Assert.True(window[i].Seq == window[i - 1].Seq + 1, $"{watcher.SessionKey[..6]}: seq {window[i - 1].Seq} then {window[i].Seq}");
            }
        }
    }

    /// <summary>Prints the longest silence any client had between two updates around the event, and checks its bound.</summary>
    private void Report(string phase, DateTime at)
    {
        var longest = _watchers.Max(w =>
        {
            // From the last update before the event: the gap that the event caused, not an earlier one.
            var all = w.Arrivals.Select(a => a.At).ToArray();
            var from = Array.FindLastIndex(all, t => t <= at);
            var times = all[Math.Max(0, from)..];
            return times.Zip(times.Skip(1), (a, b) => b - a).DefaultIfEmpty(TimeSpan.Zero).Max();
        });
        output.WriteLine($"{phase,-16} longest gap between updates: {longest.TotalMilliseconds,7:F0} ms (target < 5000 ms)");
        Console.WriteLine($"scale scenario: {phase}: longest gap between updates {longest.TotalMilliseconds:F0} ms (target < 5000 ms)");
        Assert.True(longest < GapBound, $"{phase}: a client waited {longest} for an update");
    }
}
