namespace Realtime.QuoteFeed.Demo;

/// <summary>
/// The demo market's tickers: well-known ones with roughly their real prices first, so charts look familiar,
/// then <c>SYM029</c>, <c>SYM030</c>, ... Always the same names in the same order for the same count.
/// </summary>
internal static class DemoSymbols
{
    private static readonly DemoSymbol[] WellKnown =
    [
        new("AAPL", 190), new("MSFT", 420), new("GOOG", 170), new("AMZN", 185),
        new("TSLA", 250), new("NVDA", 120), new("META", 500), new("BABA", 85),
        new("NFLX", 650), new("AMD", 160), new("INTC", 30), new("ORCL", 140),
        new("IBM", 190), new("CSCO", 50), new("ADBE", 520), new("CRM", 270),
        new("PYPL", 65), new("UBER", 70), new("SHOP", 75), new("DIS", 100),
        new("KO", 62), new("PEP", 170), new("NKE", 95), new("JPM", 200),
        new("V", 275), new("MA", 460), new("WMT", 68), new("XOM", 115),
    ];

    /// <summary>The first <paramref name="count"/> symbols; generated ones start at a price drawn from <paramref name="random"/>.</summary>
    public static IReadOnlyList<DemoSymbol> Take(int count, Random random) =>
        [.. Enumerable.Range(0, count).Select(i => i < WellKnown.Length
            ? WellKnown[i]
            : new DemoSymbol($"SYM{i + 1:D3}", Math.Round(10 + (random.NextDouble() * 290), 2)))];
}
