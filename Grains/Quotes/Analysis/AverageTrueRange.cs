namespace Realtime.Quotes.Analysis;

/// <summary>
/// ATR (TA-Lib <c>ATR</c>): Wilder smoothing of the true range, seeded with the simple average of the first
/// <c>period</c> true ranges. The true range needs the previous close, so it starts at bar 1 and ATR at bar <c>period</c>.
/// </summary>
public sealed class AverageTrueRange : IIndicator
{
    private readonly BarCounter _bars = new();
    private readonly Revisable<double> _previousClose = new(double.NaN);
    private readonly WilderAverage _average;
    private readonly LatestOutputs _latest = new(1);

    public AverageTrueRange(int period = 14)
    {
        Period = Periods.Check(period, nameof(period));
        _average = new WilderAverage(period);
    }

    public int Period { get; }

    public string Name => $"ATR({Period})";

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
        if (_average.Update(TrueRange(bar, previousClose), kind) is { } atr)
        {
            _latest.Set(atr);
        }
    }

    // TA-Lib's TRANGE, comparisons in its order.
    private static double TrueRange(Bar bar, double previousClose)
    {
        var greatest = bar.High - bar.Low;
        var fromHigh = Math.Abs(previousClose - bar.High);
        if (fromHigh > greatest)
        {
            greatest = fromHigh;
        }
        var fromLow = Math.Abs(bar.Low - previousClose);
        if (fromLow > greatest)
        {
            greatest = fromLow;
        }
        return greatest;
    }
}
