namespace Realtime.QuoteFeed.Demo;

/// <summary>
/// The simulated market: one random walk per symbol, stepped for history and then for live quotes, taking the
/// symbols in turn. Deterministic for a seed, given the same calls in the same order.
/// </summary>
internal sealed class DemoMarket
{
    /// <summary>Relative standard deviation of a price over one minute: lively on a chart, still plausible.</summary>
    public const double MinuteVolatility = 0.0015;

    public const double MeanQuoteVolume = 200;

    private readonly double _quoteVolatility;
    private readonly double _volumePerMinute;
    private int _next;

    public DemoMarket(int symbols, int quotesPerSecond, int seed)
    {
        var random = new Random(seed);
        Instruments = [.. DemoSymbols.Take(symbols, random)
            .Select(symbol => new DemoInstrument(symbol.Ticker, new RandomWalk(symbol.StartPrice, new Random(random.Next()))))];

        // Scale each quote's move and each history minute's volume to how many quotes a symbol gets per minute,
        // so history and live bars look alike whatever the rate.
        var quotesPerSymbolMinute = quotesPerSecond * 60.0 / symbols;
        _quoteVolatility = MinuteVolatility / Math.Sqrt(quotesPerSymbolMinute);
        _volumePerMinute = quotesPerSymbolMinute * MeanQuoteVolume;
    }

    public IReadOnlyList<DemoInstrument> Instruments { get; }

    /// <summary>Each symbol's <paramref name="count"/> one-minute bars, the last opening at <paramref name="lastBarTime"/>.</summary>
    public IEnumerable<(string Ticker, IReadOnlyList<DemoBar> Bars)> History(long lastBarTime, int count)
    {
        var firstBarTime = lastBarTime - ((count - 1) * BarHistory.MinuteMs);
        foreach (var instrument in Instruments)
        {
            yield return (instrument.Ticker,
                BarHistory.Build(instrument.Walk, firstBarTime, count, MinuteVolatility, _volumePerMinute));
        }
    }

    /// <summary>The next symbol's next quote, at <paramref name="time"/> (unix ms), with a one-tick-or-more spread.</summary>
    public DemoQuote NextQuote(long time)
    {
        var instrument = Instruments[_next];
        _next = (_next + 1) % Instruments.Count;
        var price = instrument.Walk.Step(_quoteVolatility);
        var halfSpread = Math.Max(0.01, Math.Round(price * 0.0002, 2));
        return new DemoQuote(
            instrument.Ticker,
            price,
            instrument.Walk.NextVolume(MeanQuoteVolume),
            time,
            Bid: Math.Max(RandomWalk.MinimumPrice, Math.Round(price - halfSpread, 2)),
            Ask: Math.Round(price + halfSpread, 2));
    }
}
