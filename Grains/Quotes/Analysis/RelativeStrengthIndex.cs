namespace Realtime.Quotes.Analysis;

/// <summary>
/// RSI of the close (TA-Lib <c>RSI</c>, classic seeding, no unstable period): Wilder-smoothed gains and losses of
/// the close-to-close changes, seeded with their simple averages over the first <c>period</c> changes; first value
/// at bar <c>period</c>. Reported as <c>100 * gain / (gain + loss)</c>, or 0 when both are (nearly) zero, as TA-Lib does.
/// </summary>
public sealed class RelativeStrengthIndex : IIndicator
{
    /// <summary>Period 1 is special-cased by TA-Lib (it echoes the input), so it is not offered.</summary>
    public const int MinPeriod = 2;

    // TA-Lib's TA_IS_ZERO threshold for "gain + loss is zero".
    private const double Epsilon = 0.00000001;

    private readonly BarCounter _bars = new();
    private readonly Revisable<double> _previousClose = new(double.NaN);
    private readonly WilderAverage _gain;
    private readonly WilderAverage _loss;
    private readonly LatestOutputs _latest = new(1);

    public RelativeStrengthIndex(int period = 14)
    {
        Period = Periods.Check(period, nameof(period), MinPeriod);
        _gain = new WilderAverage(period);
        _loss = new WilderAverage(period);
    }

    public int Period { get; }

    public string Name => $"RSI(close,{Period})";

    public IReadOnlyList<string> Outputs => OutputNames.Value;

    public int Lookback => Period;

    public ReadOnlySpan<double> Latest => _latest.Values;

    public void Append(Bar bar) => Update(bar, UpdateKind.Append);

    public void ReplaceLast(Bar bar) => Update(bar, UpdateKind.ReplaceLast);

    private void Update(Bar bar, UpdateKind kind)
    {
        var index = _bars.Advance(kind);
        _latest.Clear();
        var previousClose = _previousClose.Start(kind);
        _previousClose.Finish(bar.Close);
        if (index == 0)
        {
            return;
        }
        // Feeding 0 to the side that did not move is exact (x + 0 == x), so this matches TA-Lib's branches bit for bit.
        var change = bar.Close - previousClose;
        var gain = _gain.Update(change < 0 ? 0.0 : change, kind);
        var loss = _loss.Update(change < 0 ? -change : 0.0, kind);
        if (gain is not { } averageGain || loss is not { } averageLoss)
        {
            return;
        }
        var total = averageGain + averageLoss;
        _latest.Set(total > -Epsilon && total < Epsilon ? 0.0 : 100.0 * (averageGain / total));
    }
}
