using Microsoft.AspNetCore.Builder;
using Realtime.Quotes;
using Realtime.Tests.Infrastructure;
using Realtime.Watchlist;

namespace Realtime.Tests.Watchlist;

/// <summary>
/// The watchlist (<c>ticker</c>), built only on the extension points (a user message handler, a module, a topic):
/// what a client's board shows equals the quote centres' day bars, after bursts, resumes and unsubscribes.
/// </summary>
public sealed class WatchlistTests : IAsyncLifetime
{
    private const long Day = 86_400_000;
    private static readonly string[] Symbols = ["WLA", "WLB", "WLC"];

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
        foreach (var (symbol, k) in Symbols.Select((s, k) => (s, k)))
        {
            // Yesterday closed at 100 + k; today, so far, at 101 + k with 500 traded.
            await Infrastructure.Quotes.Backfill(_cluster, symbol, "1d", [
                [Infrastructure.Quotes.T0 - Day, 99, 101 + k, 98, 100 + k, 1_000],
                [Infrastructure.Quotes.T0, 100 + k, 102 + k, 99, 101 + k, 500],
            ]);
            await Eventually.True(() => _cluster.Grains.GetGrain<IQuoteCentreGrain>(symbol).Exists(), $"{symbol} was backfilled");
        }
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static object Ticker(string action, string[] symbols, object? resume = null, string id = "t") =>
        new { type = "ticker", id, data = new { action, symbols, resume } };

    [Fact]
    public async Task A_board_of_three_symbols_ends_equal_to_the_quote_centres_after_a_burst()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");
        var board = new TickerBoard();
        _ = board.Follow(client.Socket);
        await client.Socket.SendJson(Ticker("subscribe", Symbols));
        await Eventually.True(() => board.Lines.Count == 3, "a snapshot of each symbol");

        var first = board.Lines["WLB"];
        Assert.Equal((102.0, 1.0, 101.0, 500.0), (first.Price, first.Change, first.PreviousClose, first.Volume));

        // 300 quotes in one burst, across the three symbols and into the next day for one of them.
        var last = new Dictionary<string, double>();
        var lastTime = new Dictionary<string, long>();
        for (var i = 0; i < 300; i++)
        {
            var symbol = Symbols[i % 3];
            var time = Infrastructure.Quotes.T0 + 3_600_000 + i * 1_000 + (symbol == "WLC" && i > 150 ? Day : 0);
            last[symbol] = 100 + (i * 7 % 13);
            lastTime[symbol] = time;
            await Infrastructure.Quotes.Push(_cluster, symbol, last[symbol], 1 + i % 3, time);
        }

        foreach (var symbol in Symbols)
        {
            await Eventually.True(async () => (await _cluster.Grains.GetGrain<IQuoteCentreGrain>(symbol).GetLatest())?.Time == lastTime[symbol], $"{symbol}'s quote centre took the last quote", TimeSpan.FromSeconds(30));
        }
        await Eventually.True(async () => await Matches(board), "every line equals its quote centre's day bars", TimeSpan.FromSeconds(30));
        Assert.Empty(board.Violations);
        Assert.All(Symbols, s => Assert.Equal(last[s], board.Lines[s].Price));
        // WLC went into a new day: its change is now against the day that was "today" when the board opened.
        var wlcDays = await _cluster.Grains.GetGrain<IQuoteCentreGrain>("WLC").GetBars("1d", 2);
        Assert.Equal(Infrastructure.Quotes.T0 + Day, wlcDays[^1].Time);
        Assert.Equal(wlcDays[^2].Close, board.Lines["WLC"].PreviousClose);
        Assert.Empty(board.Other);
    }

    [Fact]
    public async Task Bad_requests_get_errors_naming_the_problem_and_known_symbols_still_subscribe()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");

        await client.Socket.SendJson(Ticker("subscribe", ["WLA", "NOPE"], id: "mixed"));
        // The known symbol's snapshot comes on its topic, before the request's answer.
        Assert.Equal("WLA", (await client.Next("ticker.snapshot")).GetProperty("data").GetProperty("symbol").GetString());
        var notFound = await client.Next("error");
        Assert.Equal(("not_found", "mixed"), (notFound.GetProperty("data").GetProperty("code").GetString(), notFound.GetProperty("id").GetString()));
        Assert.Contains("NOPE", notFound.GetProperty("data").GetProperty("message").GetString());

        foreach (var (request, code, words) in new (object, string, string)[]
        {
            (Ticker("subscribe", []), "invalid_data", "'symbols'"),
            (Ticker("subscribe", ["bad symbol!"]), "invalid_data", "'symbols'"),
            (Ticker("watch", ["WLA"]), "invalid_data", "'action'"),
            (Ticker("subscribe", ["WLB"], resume: new { WLC = new { epoch = "e", seq = 1 } }), "invalid_data", "'resume'"),
            (Ticker("subscribe", [.. Enumerable.Range(0, WatchlistAgent.MaxSymbolsPerConnection).Select(i => $"S{i}")]), "limit_exceeded", "At most 100"),
            (new { type = "ticker", id = "t", data = new { action = "subscribe", symbols = "WLA" } }, "invalid_data", "'symbols' must be an array"),
            (new { type = "ticker", id = "t", data = new { action = "subscribe", symbol = "WLA" } }, "invalid_data", "'symbol' is not a field here"),
            (new { type = "ticker", id = "t", data = new { action = "subscribe", symbols = new[] { "WLB" }, resume = new { WLB = new { epoch = "e", seq = "1" } } } }, "invalid_data", "'resume.WLB.seq' must be a whole JSON number"),
        })
        {
            await client.Socket.SendJson(request);
            var error = (await client.Next("error")).GetProperty("data");
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.Contains(words, error.GetProperty("message").GetString());
            Assert.DoesNotContain("Realtime.", error.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Fast_subscribe_and_unsubscribe_churn_sends_no_connection_a_snapshot_it_did_not_ask_for()
    {
        // Restating every second (the default is 10 s) gives the statements many chances to cross the churn.
        var gateway = await _cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:RefreshSeconds"] = "1" });
        await using var watcher = await Connected.As(_cluster, gateway, "signed-small");
        await using var churner = await Connected.As(_cluster, gateway, "signed-plain");
        await watcher.Socket.SendJson(Ticker("subscribe", ["WLA"], id: "w"));
        Assert.Equal("w", (await watcher.Next("ticker.snapshot")).GetProperty("id").GetString());

        var unasked = 0;
        var rounds = 0;
        var churn = System.Diagnostics.Stopwatch.StartNew();
        // 20 rounds a second: two messages each, within the connection's rate limit (50 a second).
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (churn.Elapsed < TimeSpan.FromSeconds(4) && await pace.WaitForNextTickAsync())
        {
            var id = $"c{rounds++}";
            await churner.Socket.SendJson(Ticker("subscribe", ["WLA"], id: id));
            while (!IsReplyTo(await churner.Next("ticker.snapshot"), id))
            {
                unasked++;
            }
            await churner.Socket.SendJson(Ticker("unsubscribe", ["WLA"], id: id));
            await churner.Next("ticker.unsubscribed");
        }

        // A subscriber that joins now is attached behind everything the topic queued for this gateway, and the
        // watcher's pong behind everything queued for the watcher: all it was sent is in its frames by then.
        await using var late = await Connected.As(_cluster, gateway, "signed-small");
        await late.Socket.SendJson(Ticker("subscribe", ["WLA"], id: "late"));
        await late.Next("ticker.snapshot");
        await watcher.Socket.SendJson(new { type = "ping", id = "p" });
        var watcherSnapshots = 0;
        while (await watcher.Socket.Frames.ReadAsync() is var frame && frame.GetProperty("type").GetString() != "pong")
        {
            watcherSnapshots += frame.GetProperty("type").GetString() == "ticker.snapshot" ? 1 : 0;
        }
        Assert.True(rounds > 20, $"only {rounds} rounds of churn");
        Assert.Equal((0, 0), (watcherSnapshots, unasked));
    }

    private static bool IsReplyTo(System.Text.Json.JsonElement frame, string id) =>
        frame.TryGetProperty("id", out var replyTo) && replyTo.ValueKind == System.Text.Json.JsonValueKind.String && replyTo.GetString() == id;

    [Fact]
    public async Task An_unsubscribed_symbol_sends_nothing_more_and_a_resumed_one_sends_exactly_what_was_missed()
    {
        string epoch;
        long seq;
        await using (var client = await Connected.As(_cluster, _gateway, "signed-compressed"))
        {
            var board = new TickerBoard();
            _ = board.Follow(client.Socket);
            await client.Socket.SendJson(Ticker("subscribe", ["WLA", "WLB"]));
            await Eventually.True(() => board.Lines.Count == 2, "both snapshots");

            await client.Socket.SendJson(Ticker("unsubscribe", ["WLB"], id: "u"));
            await Eventually.True(() => board.Other.Any(f => f.GetProperty("type").GetString() == "ticker.unsubscribed"), "ticker.unsubscribed");
            var wlb = board.Lines["WLB"];
            await Infrastructure.Quotes.Push(_cluster, "WLB", 150, 1, Infrastructure.Quotes.T0 + 7_200_000);
            await Infrastructure.Quotes.Push(_cluster, "WLA", 150, 1, Infrastructure.Quotes.T0 + 7_200_000);
            await Eventually.True(() => board.Lines["WLA"].Price == 150, "WLA's update");
            // WLA's quote was pushed after WLB's, and one pump and one gateway carry both in order.
            Assert.Equal(wlb, board.Lines["WLB"]);
            (epoch, seq) = (board.Lines["WLA"].Epoch, board.Lines["WLA"].Seq);
            Assert.Empty(board.Violations);
        }

        for (var i = 0; i < 3; i++)
        {
            await Infrastructure.Quotes.Push(_cluster, "WLA", 151 + i, 1, Infrastructure.Quotes.T0 + 7_300_000 + i);
        }
        var ticker = _cluster.Grains.GetGrain<ITickerGrain>("WLA");
        await Eventually.True(async () => (await ticker.GetLine())?.Price == 153, "the ticker took the three quotes");

        await using var again = await Connected.As(_cluster, _gateway, "signed-compressed");
        await again.Socket.SendJson(Ticker("subscribe", ["WLA"], resume: new Dictionary<string, object> { ["WLA"] = new { epoch, seq } }));
        var resumed = (await again.Next("ticker.resumed")).GetProperty("data");
        Assert.Equal((epoch, seq), (resumed.GetProperty("epoch").GetString(), resumed.GetProperty("seq").GetInt64()));
        // The three missed updates follow, possibly merged into fewer (each says the whole line): the first continues
        // from where the client left, and the last is the ticker's line now.
        var updates = new List<System.Text.Json.JsonElement>();
        do
        {
            updates.Add((await again.Next("ticker.update")).GetProperty("data"));
        }
        while (updates[^1].GetProperty("price").GetDouble() != 153);
        Assert.Equal(seq, updates[0].GetProperty("prev").GetInt64());
        Assert.True(updates.Count <= 3);
        Assert.Equal(updates.Count, updates.Select(u => u.GetProperty("seq").GetInt64()).Distinct().Count());
    }

    /// <summary>Whether every line on the board is its quote centre's: newest day bar's close and volume, the one before's close.</summary>
    private async Task<bool> Matches(TickerBoard board)
    {
        foreach (var symbol in Symbols)
        {
            var days = await _cluster.Grains.GetGrain<IQuoteCentreGrain>(symbol).GetBars("1d", 2);
            if (!board.Lines.TryGetValue(symbol, out var line)
                || line.Price != days[^1].Close || line.Volume != days[^1].Volume || line.PreviousClose != days[^2].Close
                || line.Change != days[^1].Close - days[^2].Close)
            {
                return false;
            }
        }
        return true;
    }
}
