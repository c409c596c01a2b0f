namespace Realtime.Quotes.Analysis;

/// <summary>
/// Where the close sits in the high-low range of the last <c>period</c> bars, 0..100: TA-Lib's fast %K,
/// which is also KDJ's RSV.
/// </summary>
internal sealed class StochasticRange
{
    private readonly RollingExtreme _highest;
    private readonly RollingExtreme _lowest;

    public StochasticRange(int period)
    {
        _highest = RollingExtreme.Highest(period);
        _lowest = RollingExtreme.Lowest(period);
    }

    /// <summary>Takes the latest bar and returns its position in the range, or null before <c>period</c> bars.</summary>
    public double? Update(Bar bar, UpdateKind kind)
    {
        var highest = _highest.Update(bar.High, kind);
        var lowest = _lowest.Update(bar.Low, kind);
        if (!_highest.IsFull)
        {
            return null;
        }
        // TA-Lib divides by (range / 100) rather than multiplying by 100 (the last bits differ), and a flat
        // window, where the position is undefined, reads 0.
        var onePercent = (highest - lowest) / 100.0;
        return onePercent != 0.0 ? (bar.Close - lowest) / onePercent : 0.0;
    }
}
