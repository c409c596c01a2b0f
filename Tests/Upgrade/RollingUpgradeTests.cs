using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Realtime.Services;
using Realtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Realtime.Tests.Upgrade;

/// <summary>
/// A rolling upgrade from an earlier release of this repository to the current tree, with real processes and the
/// shipped defaults. Two silos and two gateways of the earlier release store history and serve live charts and
/// watchlists while quotes flow through the service queue; then one process at a time is drained (SIGTERM, waited
/// for) and replaced by one of this build, silo, gateway, silo, gateway, so every mix of the two builds serves for a
/// while. At the end every client's chart equals a fresh snapshot holding every quote pushed, every watchlist line a
/// fresh subscription's, no update arrived twice or after one that never came, and what the earlier release stored in
/// Redis (bars and days) is what the new build serves (docs/compatibility.md).
/// </summary>
public sealed partial class RollingUpgradeTests(ITestOutputHelper output)
{
    // The release the upgrade starts from: a commit of this repository, by its full hash. Move it forward when a release
    // is made (`git rev-parse <tag>^{commit}` once releases are tagged), to the oldest release that operators may still
    // run when they upgrade to the current tree; docs/compatibility.md says what the tree must keep for it to pass.
    private const string EarlierCommit = "214bf5447d26e327bd9b1bcd8df8fae55bea6ebe";

    private const long Day = 86_400_000;
    private const long Start = Infrastructure.Quotes.T0 + 30 * 60_000L;
    private static readonly string[] Symbols = ["UPA", "UPB", "UPC", "UPD"];
    private static readonly string[] Indicators = ["MA(5)"];
    private static readonly TimeSpan SettleBound = TimeSpan.FromSeconds(90);

    /// <summary>What the earlier release serves of one symbol before the roll: its chart snapshot and watchlist line.</summary>
    private sealed record Stored(JsonElement Chart, TickerBoard.Line Line);

    [Fact]
    public async Task Silos_and_gateways_replaced_one_at_a_time_by_this_build_leave_every_chart_and_watchlist_exact()
    {
        var clock = Stopwatch.StartNew();
        await using var release = await EarlierRelease.CheckOutAndBuild(EarlierCommit);
        await using var cluster = await MixedCluster.Start(release.Build, silos: 2, gateways: 2);
        var pool = new GatewayPool();
        cluster.Gateways.ForEach(pool.Add);
        var started = clock.Elapsed;

        var stored = await Backfill(cluster, pool);
        await using var audience = new Audience(pool);
        for (var i = 0; i < 8; i++)
        {
            await audience.OpenChart(await DjangoSessions.StoreLogin(cluster.Redis, $"upgrade-chart-{i}"), Symbols[i % Symbols.Length], Indicators, cluster.Gateways[i % 2]);
        }
        for (var i = 0; i < 4; i++)
        {
            await audience.OpenTicker(await DjangoSessions.StoreLogin(cluster.Redis, $"upgrade-ticker-{i}"), Symbols, cluster.Gateways[i % 2]);
        }
        await using var quotes = new SteadyQuotes(cluster.Redis.Connection, cluster.Settings.Queue, Symbols, Start);
        quotes.Start();
        await Eventually.True(() => audience.Charts.All(v => v.Chart.Updates >= 2) && audience.Tickers.All(v => v.Board.Updates >= 2 * Symbols.Length),
            "every client receives updates from the earlier release", TimeSpan.FromSeconds(60));

        // One process at a time, alternating roles: new silo beside old, then a new gateway beside an old one on mixed
        // silos, and so on until nothing of the earlier release runs.
        var rollStart = DateTime.UtcNow;
        var steps = new List<string>();
        try
        {
            foreach (var next in new Func<ProductProcess>[] { () => cluster.Silos[0], () => cluster.Gateways[0], () => cluster.Silos[1], () => cluster.Gateways[1] })
            {
                steps.Add(await Replace(cluster, pool, audience, next()));
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // A roll that stalls says where, and what the processes logged meanwhile.
            throw new TimeoutException($"step {steps.Count + 1} of the roll ({string.Join("; ", steps)}): {e.Message}; logged: {string.Join(" | ", cluster.ComplaintKinds().Take(8))}", e);
        }
        var rollEnd = DateTime.UtcNow;
        await quotes.Stop();
        // Errors of processes leaving (a message for a gateway or silo that has just gone) are Orleans' routine in any
        // drain; they are counted by kind so that a new kind stands out. What an incompatibility between the two
        // builds looks like in a log fails the test even where recovery hides it from clients.
        foreach (var kind in cluster.ComplaintKinds())
        {
            output.WriteLine(kind);
            Console.WriteLine($"rolling upgrade: {kind[..Math.Min(kind.Length, 300)]}");
        }
        Assert.DoesNotContain(cluster.Complaints(), c => Incompatible().IsMatch(c.Entry));

        var pushed = quotes.Pushed;
        var (charts, lines) = await AssertEveryClientExact(cluster, pool, audience, stored, pushed);

        // What the earlier release stored is what this build serves: the backfilled minute bars unchanged (only the
        // last one's final flag, which the first quote of a later minute sets), the day before's close under every line.
        foreach (var symbol in Symbols)
        {
            var before = Bars(stored[symbol].Chart).Select(Ohlcv).ToArray();
            Assert.Equal(before, Bars(charts[symbol]).Where(b => b[0].GetInt64() < Start).Select(Ohlcv));
            Assert.Equal(stored[symbol].Line.PreviousClose, lines[symbol].PreviousClose);
        }
        await AssertSitePushArrives(cluster, pool);

        var chartSilence = audience.Charts.SelectMany(v => v.Chart.Gaps).Where(g => g.At > rollStart && g.At - g.Gap < rollEnd).Select(g => g.Gap).DefaultIfEmpty().Max();
        var lineSilence = audience.Tickers.SelectMany(v => v.Board.UpdateTimes.GroupBy(u => u.Symbol).SelectMany(times => Silences(times.Select(u => u.At))))
            .Where(g => g.At > rollStart && g.At - g.Gap < rollEnd).Select(g => g.Gap).DefaultIfEmpty().Max();
        // Reached only when every volume held every quote once and no client saw a repeat: nothing lost, nothing twice.
        var report = $"from {release.Commit[..7]} (checked out and built in {release.Took.TotalSeconds:F0} s; cluster up at {started.TotalSeconds:F0} s): " +
            $"{string.Join("; ", steps)}. Roll {(rollEnd - rollStart).TotalSeconds:F1} s, {pushed.Values.Sum()} quotes pushed, " +
            $"0 lost, 0 applied twice; longest chart silence {chartSilence.TotalMilliseconds:F0} ms, longest watchlist line silence {lineSilence.TotalMilliseconds:F0} ms; " +
            $"{pool.Reconnects} reconnects, {audience.Charts.Sum(v => v.Chart.Resumes)} charts resumed, {audience.Charts.Sum(v => v.Chart.UnaskedSnapshots)} snapshots pushed unasked, " +
            $"{audience.Charts.Sum(v => v.UnavailableOpens) + audience.Tickers.Sum(v => v.UnavailableSubscribes)} opens answered unavailable; " +
            $"error entries logged: {cluster.Complaints().Count()}";
        output.WriteLine(report);
        Console.WriteLine($"rolling upgrade: {report}");
    }

    /// <summary>
    /// Drains <paramref name="old"/> and starts its successor of the current build, then waits until every client is
    /// served again; returns how long each part took.
    /// </summary>
    private static async Task<string> Replace(MixedCluster cluster, GatewayPool pool, Audience audience, ProductProcess old)
    {
        var gateway = cluster.Gateways.Contains(old);
        if (gateway)
        {
            // A load balancer stops sending clients to it first (its /readyz fails as soon as it drains).
            pool.Remove(old);
        }
        var replaced = await cluster.Replace(old, ProductBuild.Current);
        if (gateway)
        {
            pool.Add(replaced.Successor);
        }
        Assert.True(replaced.ExitCode == 0, $"the earlier release's {replaced.Role} exited with {replaced.ExitCode}");
        var settle = await Settle(audience, pool, replaced.Role);
        return $"{replaced.Role} {replaced.Stopped.TotalSeconds:F1} s to exit + {replaced.Ready.TotalSeconds:F1} s until the new one was ready + {settle.TotalSeconds:F1} s until every client had updates again";
    }

    /// <summary>Backfills each symbol's minute bars and two days, and waits until the earlier release serves them.</summary>
    private static async Task<Dictionary<string, Stored>> Backfill(MixedCluster cluster, GatewayPool pool)
    {
        foreach (var (symbol, k) in Symbols.Select((s, k) => (s, k)))
        {
            await Infrastructure.Quotes.Backfill(cluster.Settings, symbol, "1m", Infrastructure.Quotes.Rising(30));
            // Yesterday closed at 100 + k; today, before the quotes, at 101 + k with 500 traded.
            await Infrastructure.Quotes.Backfill(cluster.Settings, symbol, "1d", [
                [Infrastructure.Quotes.T0 - Day, 99, 101 + k, 98, 100 + k, 1_000],
                [Infrastructure.Quotes.T0, 100 + k, 102 + k, 99, 101 + k, 500],
            ]);
        }
        var session = await DjangoSessions.StoreLogin(cluster.Redis, "upgrade-before");
        var stored = new Dictionary<string, Stored>();
        await Eventually.True(async () =>
        {
            var (charts, lines) = await Fresh(pool, session);
            foreach (var symbol in Symbols)
            {
                stored[symbol] = new Stored(charts[symbol], lines[symbol]);
            }
            return stored.Values.All(s => Bars(s.Chart).Count() == 30 && s.Line.PreviousClose is not null);
        }, "the earlier release serves the backfilled bars and days", TimeSpan.FromSeconds(60));
        return stored;
    }

    /// <summary>
    /// Waits until no client is between gateways and every one has had an update since the replacement: the new process
    /// has joined and the quotes flow to everybody again. Returns how long that took.
    /// </summary>
    private static async Task<TimeSpan> Settle(Audience audience, GatewayPool pool, string role)
    {
        var clock = Stopwatch.StartNew();
        var charts = audience.Charts.Select(v => v.Chart.Updates).ToArray();
        var tickers = audience.Tickers.Select(v => v.Board.Updates).ToArray();
        await Eventually.True(() =>
        {
            audience.ThrowIfOneGaveUp();
            return pool.Away == 0
                && audience.Charts.Select((v, i) => v.Chart.Updates > charts[i]).All(moved => moved)
                && audience.Tickers.Select((v, i) => v.Board.Updates > tickers[i]).All(moved => moved);
        }, $"every client connected and receiving updates after a {role} was replaced", SettleBound);
        return clock.Elapsed;
    }

    /// <summary>
    /// Waits until every chart equals a fresh static snapshot whose volumes hold every quote pushed once, and every
    /// watchlist line a fresh subscription's line whose day volume does too; no client saw an update twice or after a gap.
    /// </summary>
    private async Task<(Dictionary<string, JsonElement> Charts, Dictionary<string, TickerBoard.Line> Lines)> AssertEveryClientExact(
        MixedCluster cluster, GatewayPool pool, Audience audience, Dictionary<string, Stored> stored, IReadOnlyDictionary<string, long> pushed)
    {
        var session = await DjangoSessions.StoreLogin(cluster.Redis, "upgrade-truth");
        var charts = new Dictionary<string, JsonElement>();
        var lines = new Dictionary<string, TickerBoard.Line>();
        string Wrong()
        {
            var chartsApart = audience.Charts.Where(v => charts.ContainsKey(v.Symbol)).Select(v => (v, d: v.Chart.DifferencesFrom(charts[v.Symbol]))).Where(x => x.d.Count > 0)
                .Select(x => $"chart {x.v.Symbol} of {x.v.Session[..6]}: {x.d.Count} differences, first {x.d[0]}");
            var linesApart = audience.Tickers.SelectMany(v => Symbols.Where(s => lines.ContainsKey(s) && !SameLine(v.Board.Lines.GetValueOrDefault(s), lines[s]))
                .Select(s => $"line {s}: {v.Board.Lines.GetValueOrDefault(s)} instead of {lines[s]}"));
            var volumes = Symbols.Where(s => charts.ContainsKey(s) && Volume(charts[s]) != Volume(stored[s].Chart) + pushed[s])
                .Select(s => $"chart {s}: volume {Volume(charts[s])} for {Volume(stored[s].Chart) + pushed[s]}");
            var days = Symbols.Where(s => lines.ContainsKey(s) && lines[s].Volume != stored[s].Line.Volume + pushed[s])
                .Select(s => $"line {s}: day volume {lines[s].Volume} for {stored[s].Line.Volume + pushed[s]}");
            return string.Join(" | ", chartsApart.Concat(linesApart).Concat(volumes).Concat(days).Take(8));
        }
        try
        {
            await Eventually.True(async () =>
            {
                (charts, lines) = await Fresh(pool, session);
                return Wrong().Length == 0;
            }, "every client's chart and watchlist equal a fresh snapshot holding every quote pushed", TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{timedOut.Message}: {Wrong()}; errors logged: {string.Join(" | ", cluster.Complaints().Take(5))}", timedOut);
        }
        Assert.All(audience.Charts, v => Assert.Empty(v.Chart.Violations));
        Assert.All(audience.Tickers, v => Assert.Empty(v.Board.Violations));
        Assert.All(audience.Charts, v => Assert.DoesNotContain(v.Errors, e => e.StartsWith("internal", StringComparison.Ordinal)));
        Assert.All(audience.Tickers, v => Assert.DoesNotContain(v.Errors, e => e.StartsWith("internal", StringComparison.Ordinal)));
        return (charts, lines);
    }

    /// <summary>A site push produced on the service queue after the roll reaches its user on a gateway of this build.</summary>
    private static async Task AssertSitePushArrives(MixedCluster cluster, GatewayPool pool)
    {
        await using var socket = await pool.Connect(await DjangoSessions.StoreLogin(cluster.Redis, "upgrade-site"));
        await socket.Next("welcome");
        var queue = new ServiceQueueClient(cluster.Redis.Connection, "upgrade-test");
        await queue.Push(cluster.Settings.Queue, "site", new { action = "push", users = new[] { "upgrade-site" }, message = new { type = "notice", data = new { text = "upgraded" } } });
        var notice = await socket.Next("notice", TimeSpan.FromSeconds(30));
        Assert.Equal("upgraded", notice.GetProperty("data").GetProperty("text").GetString());
    }

    /// <summary>Every symbol's chart snapshot and watchlist line as a new client gets them.</summary>
    private static async Task<(Dictionary<string, JsonElement> Charts, Dictionary<string, TickerBoard.Line> Lines)> Fresh(GatewayPool pool, string session)
    {
        var charts = new Dictionary<string, JsonElement>();
        foreach (var symbol in Symbols)
        {
            await using var socket = await pool.Connect(session);
            charts[symbol] = await ChartViewer.StaticSnapshot(socket, symbol, Indicators);
        }
        await using var watchlist = await pool.Connect(session);
        var lines = await TickerViewer.FreshLines(watchlist, Symbols);
        return (charts, lines.ToDictionary(l => l.Key, l => l.Value));
    }

    /// <summary>Equal as a client shows it; the epoch and seq say only where in its stream the line was taken.</summary>
    private static bool SameLine(TickerBoard.Line? held, TickerBoard.Line truth) =>
        held is not null && held with { Epoch = truth.Epoch, Seq = truth.Seq } == truth;

    private static IEnumerable<JsonElement> Bars(JsonElement snapshot) => snapshot.GetProperty("data").GetProperty("bars").EnumerateArray();

    /// <summary>A bar's <c>time, open, high, low, close, volume</c> as text, without its final flag.</summary>
    private static string Ohlcv(JsonElement bar) => string.Join(",", bar.EnumerateArray().Take(6).Select(v => v.GetRawText()));

    private static double Volume(JsonElement snapshot) => Bars(snapshot).Sum(b => b[5].GetDouble());

    [GeneratedRegex(@"serializ|codec|TypeLoad|MissingMethod|MissingField|InvalidCast|unknown type|could not be (found|resolved|loaded)", RegexOptions.IgnoreCase)]
    private static partial Regex Incompatible();

    private static IEnumerable<(DateTime At, TimeSpan Gap)> Silences(IEnumerable<DateTime> arrivals) =>
        arrivals.Zip(arrivals.Skip(1), (a, b) => (b, b - a));
}
