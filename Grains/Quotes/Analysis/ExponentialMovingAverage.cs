namespace Realtime.Quotes.Analysis;

/// <summary>
/// EMA of the close (TA-Lib <c>EMA</c>): seeded at bar <c>period - 1</c> with the SMA of the first <c>period</c>
/// closes, then smoothed with k = 2 / (period + 1).
/// </summary>
public sealed class ExponentialMovingAverage : IIndicator
{
    private readonly BarCounter _bars = new();
    private readonly ExponentialAverage _average;
    private readonly LatestOutputs _latest = new(1);

    public ExponentialMovingAverage(int period)
    {
        Period = Periods.Check(period, nameof(period));
        _average = new ExponentialAverage(period);
    }

    public int Period { get; }

    public string Name => $"EMA(close,{Period})";

    public IReadOnlyList<string> Outputs => OutputNames.Value;

    public int Lookback => Period - 1;

    public ReadOnlySpan<double> Latest => _latest.Values;

    public void Append(Bar bar) => Update(bar, UpdateKind.Append);

    public void ReplaceLast(Bar bar) => Update(bar, UpdateKind.ReplaceLast);

    private void Update(Bar bar, UpdateKind kind)
    {
        _bars.Advance(kind);
        if (_average.Update(bar.Close, kind) is { } average)
        {
            _latest.Set(average);
        }
        else
        {
            _latest.Clear();
        }
    }
}
