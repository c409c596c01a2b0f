namespace Realtime.Quotes.Analysis;

/// <summary>SMA: the mean close of the last <c>period</c> bars (TA-Lib <c>SMA</c>).</summary>
public sealed class SimpleMovingAverage : IIndicator
{
    private readonly BarCounter _bars = new();
    private readonly SimpleAverage _average;
    private readonly LatestOutputs _latest = new(1);

    public SimpleMovingAverage(int period)
    {
        Period = Periods.Check(period, nameof(period));
        _average = new SimpleAverage(period);
    }

    public int Period { get; }

    public string Name => $"SMA(close,{Period})";

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
