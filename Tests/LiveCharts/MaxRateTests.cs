using Realtime.Quotes;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.LiveCharts;

/// <summary>
/// <c>maxRate</c> (docs/protocol.md 1.9, 1.10): a client that asks for one update a second on a chart or a watchlist
/// gets at most that, its gateway folding the rest together, and still ends exact; a client of the same chart that
/// did not ask gets every update.
/// </summary>
public sealed class MaxRateTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string Symbol = "PACED";
    private const long Day = 86_400_000;
    private static readonly string[] Indicators = ["MA(5)", "MACD"];
    // A gap between two frames as the client sees it: the gateway's 1 s, less what a busy machine may delay the first.
    private static readonly TimeSpan ShortestGap = TimeSpan.FromMilliseconds(700);

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;
    private readonly Dictionary<long, double> _volumes = [];
    private long _nextQuote = Infrastructure.Quotes.T0 + 30 * 60_000L;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
        await Infrastructure.Quotes.Backfill(_cluster, Symbol, "1d", [[Infrastructure.Quotes.T0 - Day, 99, 101, 98, 100, 1_000]]);
        await Infrastructure.Quotes.BackfillHistory(_cluster, Symbol);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Func<string, Task<TestSocket>> Gateway => session => TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session));

    [Fact]
    public async Task A_chart_opened_with_maxRate_1_gets_at_most_one_update_a_second_ends_exact_and_resumes_exact()
    {
        await using var paced = new ChartViewer(await DjangoSessions.Store(_cluster.Redis, "signed-small"), Symbol, Indicators) { MaxRate = 1 };
        await using var full = new ChartViewer(await DjangoSessions.Store(_cluster.Redis, "signed-plain"), Symbol, Indicators);
        await paced.Open(Gateway);
        await full.Open(Gateway);
        await Eventually.True(() => paced.Chart.Snapshots == 1 && full.Chart.Snapshots == 1, "both snapshots arrived");
        var fullFrom = full.Chart.Seq;

        // About 20 quotes a second for 5 seconds, 3 s of quote time apart: several bars open and close meanwhile.
        var feeding = DateTime.UtcNow;
        await Feed(100);
        var fed = DateTime.UtcNow - feeding;
        await QuotesTaken();
        await Eventually.True(() => TookLastQuote(full), "the full chart took the last quote", TimeSpan.FromSeconds(30));
        var fullDone = DateTime.UtcNow;
        // The last update is sent when the interval ends, on a timer: no further quote is needed to bring it.
        await Eventually.True(() => paced.Chart.Seq == full.Chart.Seq, "the paced chart caught up without another quote", TimeSpan.FromSeconds(10));
        var lag = DateTime.UtcNow - fullDone;

        var gaps = paced.Chart.Gaps;
        output.WriteLine($"fed 100 quotes in {fed.TotalSeconds:F1} s; full: {full.Chart.Updates} updates; paced: {paced.Chart.Updates} updates, shortest gap {gaps.Min(g => g.Gap.TotalMilliseconds):F0} ms, last update {lag.TotalMilliseconds:F0} ms after the full chart's");
        Assert.True(gaps.Count >= 3, $"{gaps.Count} paced frames: the feed was too short to show pacing");
        Assert.All(gaps, g => Assert.True(g.Gap >= ShortestGap, $"two paced frames {g.Gap.TotalMilliseconds:F0} ms apart"));
        Assert.True(paced.Chart.Updates <= Math.Ceiling(fed.TotalSeconds) + 2, $"{paced.Chart.Updates} paced updates in {fed.TotalSeconds:F1} s");
        Assert.True(lag < TimeSpan.FromSeconds(2), $"the paced chart's last update came {lag.TotalMilliseconds:F0} ms after the full chart's");
        // The viewer that did not ask for a rate got every update the chart published, one frame each.
        Assert.Equal(full.Chart.Seq - fullFrom, full.Chart.Updates);
        Assert.True(full.Chart.Updates > 3 * paced.Chart.Updates, $"{full.Chart.Updates} full against {paced.Chart.Updates} paced updates");
        await AssertExact(paced);
        await AssertExact(full);

        // The paced client loses its connection while 20 more quotes come, and resumes: chart.resumed, then what it
        // missed folded into one update when its first interval ends.
        await paced.DisposeAsync();
        await Feed(20);
        await QuotesTaken();
        await Eventually.True(() => TookLastQuote(full), "the full chart took the 20 quotes", TimeSpan.FromSeconds(30));
        var updatesBefore = paced.Chart.Updates;
        await paced.Open(Gateway);
        await Eventually.True(() => paced.Chart.Seq == full.Chart.Seq, "the resumed chart caught up", TimeSpan.FromSeconds(10));
        Assert.Equal((1, 1), (paced.Chart.Resumes, paced.Chart.Snapshots));
        Assert.Equal(1, paced.Chart.Updates - updatesBefore);
        await AssertExact(paced);
    }

    [Fact]
    public async Task A_watchlist_line_with_maxRate_1_comes_at_most_once_a_second_and_ends_equal_to_the_day_bar()
    {
        await using var paced = await Connected.As(_cluster, _gateway, "signed-small");
        await using var full = await Connected.As(_cluster, _gateway, "signed-plain");
        var pacedBoard = new TickerBoard();
        var fullBoard = new TickerBoard();
        _ = pacedBoard.Follow(paced.Socket);
        _ = fullBoard.Follow(full.Socket);
        await paced.Socket.SendJson(new { type = "ticker", id = "p", data = new { action = "subscribe", symbols = new[] { Symbol }, maxRate = 1 } });
        await full.Socket.SendJson(new { type = "ticker", id = "f", data = new { action = "subscribe", symbols = new[] { Symbol } } });
        await Eventually.True(() => pacedBoard.Lines.ContainsKey(Symbol) && fullBoard.Lines.ContainsKey(Symbol), "both snapshots");
        var fullFrom = fullBoard.Lines[Symbol].Seq;
        var subscribed = DateTime.UtcNow;

        var feeding = DateTime.UtcNow;
        await Feed(100);
        var fed = DateTime.UtcNow - feeding;
        var ticker = _cluster.Grains.GetGrain<Realtime.Watchlist.ITickerGrain>(Symbol);
        await QuotesTaken();
        await Eventually.True(async () => (await ticker.GetLine())?.Time == LastTime, "the ticker took the last quote", TimeSpan.FromSeconds(30));
        await Eventually.True(() => fullBoard.Lines[Symbol].Time == LastTime, "the full board took the last quote");
        await Eventually.True(() => pacedBoard.Lines[Symbol].Seq == fullBoard.Lines[Symbol].Seq, "the paced board caught up without another quote", TimeSpan.FromSeconds(10));

        var times = new[] { subscribed }.Concat(pacedBoard.UpdateTimes.Select(u => u.At)).ToArray();
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
        output.WriteLine($"fed 100 quotes in {fed.TotalSeconds:F1} s; full: {fullBoard.Updates} lines; paced: {pacedBoard.Updates} lines, shortest gap {gaps.Skip(1).DefaultIfEmpty().Min().TotalMilliseconds:F0} ms");
        Assert.True(gaps.Length >= 3, $"{gaps.Length} paced updates: the feed was too short to show pacing");
        Assert.All(gaps.Skip(1), g => Assert.True(g >= ShortestGap, $"two paced lines {g.TotalMilliseconds:F0} ms apart"));
        Assert.True(gaps.Length <= Math.Ceiling(fed.TotalSeconds) + 2, $"{gaps.Length} paced updates in {fed.TotalSeconds:F1} s");
        Assert.Equal(fullBoard.Lines[Symbol].Seq - fullFrom, fullBoard.Updates);
        Assert.Equal(fullBoard.Lines[Symbol], pacedBoard.Lines[Symbol]);
        var days = await _cluster.Grains.GetGrain<IQuoteCentreGrain>(Symbol).GetBars("1d", 2);
        Assert.Equal((days[^1].Close, days[^1].Volume, days[^2].Close), (pacedBoard.Lines[Symbol].Price, pacedBoard.Lines[Symbol].Volume, pacedBoard.Lines[Symbol].PreviousClose));
        Assert.Empty(pacedBoard.Violations);
        Assert.Empty(fullBoard.Violations);
    }

    [Fact]
    public async Task A_bad_maxRate_is_answered_invalid_data_naming_it()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");
        // "1" is a number in a string: the protocol's numbers are JSON numbers.
        var bad = new object[] { 0, -1, 0.05, 101, 1e9, "fast", "1", true, new { } };
        foreach (var maxRate in bad)
        {
            foreach (var request in new object[]
            {
                new { type = "mychart", id = "m", data = new { action = "open", chartId = "c", symbol = Symbol, period = "1m", maxRate } },
                new { type = "ticker", id = "t", data = new { action = "subscribe", symbols = new[] { Symbol }, maxRate } },
            })
            {
                await client.Socket.SendJson(request);
                var error = (await client.Next("error")).GetProperty("data");
                Assert.Equal("invalid_data", error.GetProperty("code").GetString());
                Assert.Contains("'maxRate'", error.GetProperty("message").GetString());
                Assert.DoesNotContain(".NET", error.GetProperty("message").GetString());
                Assert.DoesNotContain("System.", error.GetProperty("message").GetString());
            }
        }
        await client.Socket.SendJson(new { type = "mychart", id = "ok", data = new { action = "open", chartId = "c", symbol = Symbol, period = "1m", maxRate = 1 } });
        await client.Next("chart.snapshot");
        await client.Socket.SendJson(new { type = "mychart", id = "m", data = new { action = "change", chartId = "c", maxRate = 0 } });
        Assert.Contains("maxRate", (await client.Next("error")).GetProperty("data").GetProperty("message").GetString());
    }

    private long LastTime => _nextQuote - 3_000;

    private double LastPrice { get; set; }

    private async Task QuotesTaken() =>
        await Eventually.True(async () => (await _cluster.Grains.GetGrain<IQuoteCentreGrain>(Symbol).GetLatest())?.Time == LastTime, "the quote centre took the last quote", TimeSpan.FromSeconds(30));

    /// <summary>The full viewer's last bar holds every quote fed into it (the quotes open each bar afresh).</summary>
    private bool TookLastQuote(ChartViewer viewer) =>
        viewer.Chart.Points.TryGetValue(LastTime / 60_000 * 60_000, out var bar) && bar.Bar[5] == _volumes[LastTime / 60_000 * 60_000] && bar.Bar[4] == LastPrice;

    /// <summary>Pushes <paramref name="count"/> quotes, about 20 a second, 3 s of quote time apart.</summary>
    private async Task Feed(int count)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < count; i++)
        {
            LastPrice = 130 + i % 7 + (i % 2) * 0.5;
            var minute = _nextQuote / 60_000 * 60_000;
            _volumes[minute] = _volumes.GetValueOrDefault(minute) + 1 + i % 3;
            await Infrastructure.Quotes.Push(_cluster, Symbol, LastPrice, 1 + i % 3, _nextQuote);
            _nextQuote += 3_000;
            await pace.WaitForNextTickAsync();
        }
    }

    /// <summary>What the viewer holds equals a fresh static snapshot, with no protocol violation on the way.</summary>
    private async Task AssertExact(ChartViewer viewer)
    {
        Assert.Empty(viewer.Chart.Violations);
        await using var truthSocket = await Gateway(await DjangoSessions.Store(_cluster.Redis, "legacy-pre-3.1"));
        var truth = await ChartViewer.StaticSnapshot(truthSocket, Symbol, Indicators);
        Assert.Empty(viewer.Chart.DifferencesFrom(truth));
    }
}
