using Realtime.Quotes;
using Realtime.Services;
using Realtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Realtime.Tests.LiveCharts;

/// <summary>
/// The one-process topology scripts/run.sh runs by default: silos that serve WebSockets themselves
/// (Silo:EmbeddedGateway), as real processes with the shipped defaults. Clients spread over two of them watch live
/// charts through a burst of quotes in which one silo is SIGKILLed; its clients reconnect to the other and resume.
/// At the end every client's chart must equal a fresh snapshot holding every quote pushed, with nothing received
/// twice, out of order or after an update it never got.
/// </summary>
public sealed class EmbeddedGatewayTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Symbols = ["EA", "EB", "EC"];
    private static readonly string[] Indicators = ["SMA(close,20)"];
    private const long Start = Infrastructure.Quotes.T0 + 30 * 60_000L;

    private readonly List<ChartViewer> _viewers = [];
    private readonly Dictionary<string, long> _pushed = Symbols.ToDictionary(s => s, _ => 0L);
    private ProcessDeployment _deployment = null!;

    public async Task InitializeAsync()
    {
        _deployment = await ProcessDeployment.StartEmbedded(silos: 2);
        await Task.WhenAll(Symbols.Select(symbol => Infrastructure.Quotes.BackfillHistory(_deployment.Cluster, symbol)));
    }

    public async Task DisposeAsync()
    {
        foreach (var viewer in _viewers)
        {
            await viewer.DisposeAsync();
        }
        await _deployment.DisposeAsync();
    }

    private static Func<string, Task<TestSocket>> Through(ProductProcess silo) => session => TestSocket.Connect(silo.WebSocket(session));

    [Fact]
    public async Task Clients_of_a_killed_embedded_silo_resume_on_the_other_and_every_chart_ends_exact()
    {
        var silos = _deployment.Silos.ToArray();
        for (var i = 0; i < 12; i++)
        {
            var viewer = new ChartViewer(await DjangoSessions.StoreLogin(_deployment.Redis, $"embedded-{i}"), Symbols[i % Symbols.Length], Indicators);
            await viewer.Open(Through(silos[i % 2]));
            _viewers.Add(viewer);
        }
        await Eventually.True(() => _viewers.All(v => v.Chart.Snapshots > 0), "every client has its snapshot", TimeSpan.FromSeconds(60));

        var queue = new ServiceQueueClient(_deployment.Redis.Connection, "embedded-test");
        const int Total = 6_000, PerPush = 6;
        var stranded = _viewers.Where((_, i) => i % 2 == 0).ToArray();
        var back = TimeSpan.Zero;
        for (var sent = 0; sent < Total; sent += PerPush)
        {
            await queue.PushMany(_deployment.Cluster.Queue, "quote", Enumerable.Range(sent, PerPush).Select(Quote));
            if (sent == Total / 2)
            {
                var killed = DateTime.UtcNow;
                await _deployment.Kill(silos[0]);
                await Task.WhenAll(stranded.Select(v => v.Closed.WaitAsync(TimeSpan.FromSeconds(30))));
                // Until the cluster has declared the dead silo dead, the users whose grains it held are told 1013
                // (try again later), and the client tries again, as the browser library does.
                await Task.WhenAll(stranded.Select(v => Eventually.True(() => Reopened(v, silos[1]), "a stranded client is welcomed by the other silo", TimeSpan.FromSeconds(60))));
                back = DateTime.UtcNow - killed;
            }
            await Task.Delay(5);
        }

        await AssertEveryChartExact(silos[1], TimeSpan.FromSeconds(120));
        // A chart its silo's death left unreachable for a moment is an outage (unavailable, tried again), never a fault.
        Assert.All(_viewers, v => Assert.DoesNotContain(v.Errors, e => e.StartsWith("internal", StringComparison.Ordinal)));
        output.WriteLine($"stranded clients welcomed again {back.TotalSeconds:F1} s after the kill; opens answered unavailable meanwhile: {_viewers.Sum(v => v.UnavailableOpens)}; resumed: {stranded.Count(v => v.Chart.Resumes > 0)} of {stranded.Length}; updates per client: {_viewers.Min(v => v.Chart.Updates)}..{_viewers.Max(v => v.Chart.Updates)}");
    }

    private static async Task<bool> Reopened(ChartViewer viewer, ProductProcess silo)
    {
        try
        {
            await viewer.Open(Through(silo));
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Quote number <paramref name="n"/>: symbols in turn, each 100 ms of market time after its previous one.</summary>
    private object Quote(int n)
    {
        var symbol = Symbols[n % Symbols.Length];
        _pushed[symbol]++;
        return new { symbol, price = 130 + n % 17 * 0.25, volume = 1, time = Start + n / Symbols.Length * 100L };
    }

    private async Task AssertEveryChartExact(ProductProcess silo, TimeSpan timeout)
    {
        var truths = new Dictionary<string, System.Text.Json.JsonElement>();
        await Eventually.True(async () =>
        {
            foreach (var symbol in Symbols)
            {
                await using var socket = await TestSocket.Connect(silo.WebSocket(_viewers[0].Session));
                truths[symbol] = await ChartViewer.StaticSnapshot(socket, symbol, Indicators);
            }
            return _viewers.All(v => v.Chart.DifferencesFrom(truths[v.Symbol]).Count == 0) && truths.All(t => Volume(t.Value) == 30 * 10 + _pushed[t.Key]);
        }, "every client's chart equals a fresh snapshot holding every quote pushed", timeout).ContinueWith(async waited =>
        {
            if (waited.Exception is { } timedOut)
            {
                // Say what was still wrong: a client apart from the snapshot, a snapshot short of the quotes pushed.
                var apart = _viewers.Where(v => truths.ContainsKey(v.Symbol)).Select(v => (v, d: v.Chart.DifferencesFrom(truths[v.Symbol])))
                    .Where(x => x.d.Count > 0).Select(x => $"{x.v.Symbol} (client {_viewers.IndexOf(x.v)}, epoch {x.v.Chart.Epoch} seq {x.v.Chart.Seq}, {x.v.Chart.Snapshots} snapshots, {x.v.Chart.UnaskedSnapshots} unasked, {x.v.Chart.Resumes} resumes, {x.v.Chart.Updates} updates, {x.v.UnavailableOpens} opens answered unavailable, errors: {string.Join(", ", x.v.Errors)}): {x.d.Count} differences, first {x.d[0]}; violations: {string.Join("; ", x.v.Chart.Violations.Take(3))}");
                var charts = await Task.WhenAll(Symbols.Select(async symbol => $"{symbol}: {await _deployment.Cluster.Grains.GetGrain<IChartGrain>($"{symbol}|1m|SMA(close,20)").GetStats()}"));
                var shortOfQuotes = truths.Where(t => Volume(t.Value) != 30 * 10 + _pushed[t.Key]).Select(t => $"{t.Key}: volume {Volume(t.Value)} for {30 * 10 + _pushed[t.Key]}");
                var deadLetters = await _deployment.Redis.Database.ListLengthAsync(new ServiceQueueKeys(_deployment.Cluster.Queue).DeadLetters);
                throw new TimeoutException($"{timedOut.InnerException!.Message}: {string.Join(" | ", apart.Concat(shortOfQuotes).Take(6))}; dead letters: {deadLetters}; charts: {string.Join(" | ", charts)}");
            }
        }).Unwrap();
        foreach (var viewer in _viewers)
        {
            Assert.Empty(viewer.Chart.Violations);
            Assert.Empty(viewer.Chart.DifferencesFrom(truths[viewer.Symbol]));
        }
    }

    /// <summary>The volume of every bar in a snapshot: the backfill's plus one per quote pushed.</summary>
    private static double Volume(System.Text.Json.JsonElement snapshot) =>
        snapshot.GetProperty("data").GetProperty("bars").EnumerateArray().Sum(b => b[5].GetDouble());
}
