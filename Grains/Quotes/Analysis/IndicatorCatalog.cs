namespace Realtime.Quotes.Analysis;

/// <summary>Every indicator spelling the product accepts: its own (<c>MA</c>, <c>BOLL</c>, ...) and TA-Lib's.</summary>
internal static class IndicatorCatalog
{
    private static readonly IndicatorSpelling[] Spellings =
    [
        new("MA", true, [IndicatorParameter.Period("period")], p => new SimpleMovingAverage((int)p[0])),
        new("SMA", true, [IndicatorParameter.Period("period")], p => new SimpleMovingAverage((int)p[0])),
        new("EMA", true, [IndicatorParameter.Period("period")], p => new ExponentialMovingAverage((int)p[0])),
        new(
            "MACD",
            true,
            [IndicatorParameter.Period("fast", 12), IndicatorParameter.Period("slow", 26), IndicatorParameter.Period("signal", 9)],
            p => new MovingAverageConvergenceDivergence((int)p[0], (int)p[1], (int)p[2]),
            p => p[0] < p[1] ? null : FormattableString.Invariant($"the fast period ({p[0]}) must be shorter than the slow one ({p[1]})")),
        new("RSI", true, [IndicatorParameter.Period("period", 14, RelativeStrengthIndex.MinPeriod)], p => new RelativeStrengthIndex((int)p[0])),
        new("BOLL", true, BandParameters(), p => new BollingerBands((int)p[0], p[1])),
        new("BBANDS", true, BandParameters(), p => new BollingerBands((int)p[0], p[1])),
        new(
            "STOCH",
            false,
            [IndicatorParameter.Period("fastk", 9), IndicatorParameter.Period("slowk", 3), IndicatorParameter.Period("slowd", 3)],
            p => new StochasticOscillator((int)p[0], (int)p[1], (int)p[2])),
        new(
            "KDJ",
            false,
            [IndicatorParameter.Period("n", 9), IndicatorParameter.Period("m1", 3), IndicatorParameter.Period("m2", 3)],
            p => new KdjIndicator((int)p[0], (int)p[1], (int)p[2])),
        new("ATR", false, [IndicatorParameter.Period("period", 14)], p => new AverageTrueRange((int)p[0])),
        new("OBV", false, [], _ => new OnBalanceVolume()),
        new("VWAP", false, [], _ => new VolumeWeightedAveragePrice()),
    ];

    public static string KnownNames { get; } = string.Join(", ", Spellings.Select(s => s.Name));

    public static IndicatorSpelling? Find(string name) =>
        Array.Find(Spellings, s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    private static IndicatorParameter[] BandParameters() =>
    [
        IndicatorParameter.Period("period", 20),
        new IndicatorParameter("deviations", 2.0, WholeNumber: false, 0.0, BollingerBands.MaxDeviations),
    ];
}
