using System.Text.Json;
using System.Text.RegularExpressions;
using Realtime.QuoteFeed.Demo;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.QuoteFeed;

/// <summary>The demo feed against real Redis, read back from its own queue as the server's pump would read it.</summary>
public sealed class DemoFeedTests : IAsyncLifetime
{
    private static readonly Regex Symbol = new("^[A-Za-z0-9._-]{1,32}$");

    private readonly RedisServer _redis = RedisServer.Shared;
    private readonly string _queue = $"queue:test:feed:{Guid.NewGuid():N}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _redis.Database.KeyDeleteAsync(_queue);

    [Fact]
    public async Task The_feed_backfills_bars_in_chunks_of_at_most_1000_then_pushes_one_batch_of_quotes_per_tick()
    {
        var feed = Feed(new DemoFeedOptions { Symbols = 3, Rate = 30, History = 1500, Ticks = 4 });
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await feed.Run(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        var messages = await QueuedOldestFirst();
        Assert.All(messages, m => Assert.Equal(DemoFeed.Source, m.GetProperty("src").GetString()));
        var bars = messages.TakeWhile(m => m.GetProperty("type").GetString() == "bars").Select(m => m.GetProperty("data")).ToList();
        var quotes = messages.Skip(bars.Count).ToList();
        Assert.Equal([1000, 500, 1000, 500, 1000, 500], bars.Select(b => b.GetProperty("bars").GetArrayLength()));
        Assert.All(quotes, m => Assert.Equal("quote", m.GetProperty("type").GetString()));
        Assert.Equal(4, quotes.Count);
        Assert.All(quotes, m => Assert.Equal(3, m.GetProperty("data").GetArrayLength()));
        Assert.Equal(12, feed.QuotesSent);

        foreach (var symbol in bars.GroupBy(b => b.GetProperty("symbol").GetString()!))
        {
            var history = symbol.SelectMany(b => b.GetProperty("bars").EnumerateArray()).ToList();
            Assert.All(symbol, b => Assert.Equal("1m", b.GetProperty("period").GetString()));
            Assert.Equal(1500, history.Count);
            AssertValidBars(history);
            // History ends with the last whole minute; live quotes build the current one.
            Assert.Equal(startedAt / 60_000 * 60_000 - 60_000, history[^1][0].GetInt64(), TimeSpan.FromMinutes(1).TotalMilliseconds);
        }

        var liveQuotes = quotes.SelectMany(m => m.GetProperty("data").EnumerateArray()).ToList();
        Assert.All(liveQuotes, quote => AssertValidQuote(quote, startedAt));
        Assert.Equal(bars.Select(b => b.GetProperty("symbol").GetString()).Distinct().Order(),
            liveQuotes.Select(q => q.GetProperty("symbol").GetString()).Distinct().Order());
    }

    [Fact]
    public async Task Live_quotes_continue_from_where_the_history_ends()
    {
        var feed = Feed(new DemoFeedOptions { Symbols = 2, Rate = 20, History = 10, Ticks = 1 });

        await feed.Run(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        var messages = await QueuedOldestFirst();
        foreach (var quote in messages.Last().GetProperty("data").EnumerateArray())
        {
            var lastClose = messages.First(m => m.GetProperty("type").GetString() == "bars"
                    && m.GetProperty("data").GetProperty("symbol").GetString() == quote.GetProperty("symbol").GetString())
                .GetProperty("data").GetProperty("bars").EnumerateArray().Last()[4].GetDouble();
            Assert.InRange(quote.GetProperty("price").GetDouble() / lastClose, 0.99, 1.01);
        }
    }

    [Fact]
    public async Task Cancelling_stops_the_feed_without_an_error()
    {
        var feed = Feed(new DemoFeedOptions { Symbols = 2, Rate = 50, History = 0 });
        using var stop = new CancellationTokenSource();

        var running = feed.Run(stop.Token);
        await Eventually.True(async () => await _redis.Database.ListLengthAsync(_queue) >= 2, "the feed pushed quotes");
        await stop.CancelAsync();

        await running.WaitAsync(Eventually.DefaultTimeout);
        Assert.True(feed.QuotesSent > 0);
    }

    private DemoFeed Feed(DemoFeedOptions options) =>
        new(options with { Redis = _redis.ConnectionString, Queue = _queue }, seed: 7, _redis.Connection, TimeProvider.System, TextWriter.Null, TextWriter.Null);

    // Producers LPUSH and the server takes from the right: reversed LRANGE is the order the server handles them in.
    private async Task<List<JsonElement>> QueuedOldestFirst() =>
        [.. (await _redis.Database.ListRangeAsync(_queue)).Reverse().Select(v => JsonDocument.Parse(v.ToString()).RootElement.Clone())];

    // docs/protocol.md 2.3, bars: [time, open, high, low, close, volume], time on the period's boundary, low <= open, close <= high.
    private static void AssertValidBars(List<JsonElement> bars)
    {
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(6, bar.Length);
            var (time, open, high, low, close, volume) = (bar[0], bar[1], bar[2], bar[3], bar[4], bar[5]);
            Assert.Equal(0, time % 60_000);
            Assert.True(low <= Math.Min(open, close) && Math.Max(open, close) <= high && low > 0, $"bar {i}: {bars[i]}");
            Assert.True(volume >= 0 && volume == Math.Floor(volume), $"bar {i}: {bars[i]}");
            if (i > 0)
            {
                Assert.Equal(bars[i - 1][0].GetInt64() + 60_000, bars[i][0].GetInt64());
            }
        }
    }

    // docs/protocol.md 2.3, quote: symbol, price > 0, integer volume >= 0, time in unix ms, bid and ask > 0.
    private static void AssertValidQuote(JsonElement quote, long startedAt)
    {
        Assert.Matches(Symbol, quote.GetProperty("symbol").GetString());
        Assert.True(quote.GetProperty("price").GetDouble() > 0, quote.ToString());
        Assert.True(quote.GetProperty("volume").TryGetInt64(out var volume) && volume >= 0, quote.ToString());
        Assert.InRange(quote.GetProperty("time").GetInt64(), startedAt, startedAt + 60_000);
        Assert.True(quote.GetProperty("bid").GetDouble() > 0 && quote.GetProperty("ask").GetDouble() > 0, quote.ToString());
    }
}
