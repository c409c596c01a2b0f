using System.Text.RegularExpressions;
using Realtime.QuoteFeed.Demo;

namespace Realtime.Tests.QuoteFeed;

public sealed class DemoMarketTests
{
    [Fact]
    public void The_first_symbols_are_familiar_tickers_then_generated_readable_ones()
    {
        var market = new DemoMarket(40, 20, seed: 1);
        var tickers = market.Instruments.Select(i => i.Ticker).ToList();

        Assert.Equal(["AAPL", "MSFT", "GOOG", "AMZN", "TSLA", "NVDA", "META", "BABA"], tickers.Take(8));
        Assert.Equal(40, tickers.Distinct().Count());
        Assert.Equal("SYM040", tickers[^1]);
        Assert.All(tickers, ticker => Assert.Matches(new Regex("^[A-Za-z0-9._-]{1,32}$"), ticker));
    }

    [Fact]
    public void The_same_seed_gives_the_same_history_and_quotes()
    {
        var first = new DemoMarket(30, 20, seed: 99);
        var second = new DemoMarket(30, 20, seed: 99);

        Assert.Equal(Snapshot(first), Snapshot(second));
        Assert.NotEqual(Snapshot(new DemoMarket(30, 20, seed: 100)), Snapshot(new DemoMarket(30, 20, seed: 99)));
    }

    [Fact]
    public void Quotes_take_the_symbols_in_turn_with_a_spread_around_the_price()
    {
        var market = new DemoMarket(3, 20, seed: 5);

        var quotes = Enumerable.Range(0, 6).Select(_ => market.NextQuote(1_767_225_600_123)).ToList();

        Assert.Equal(["AAPL", "MSFT", "GOOG", "AAPL", "MSFT", "GOOG"], quotes.Select(q => q.Symbol));
        Assert.All(quotes, q =>
        {
            Assert.True(q.Bid > 0 && q.Bid < q.Price && q.Price < q.Ask, q.ToString());
            Assert.True(q.Volume >= 1, q.ToString());
            Assert.Equal(1_767_225_600_123, q.Time);
        });
    }

    private static string Snapshot(DemoMarket market)
    {
        var history = market.History(1_767_225_600_000, 50).SelectMany(h => h.Bars.Select(b => $"{h.Ticker}{b}"));
        var quotes = Enumerable.Range(0, 100).Select(_ => market.NextQuote(1).ToString());
        return string.Join('\n', history.Concat(quotes));
    }
}
