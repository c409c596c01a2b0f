namespace Realtime.Quotes.Analysis;

/// <summary>
/// Slow stochastic (TA-Lib <c>STOCH</c> with SMA smoothing): fast %K over <c>fastK</c> bars, slow %K = SMA(slowK)
/// of fast %K, slow %D = SMA(slowD) of slow %K. Both outputs start where slow %D does.
/// </summary>
public sealed class StochasticOscillator : IIndicator
{
    private readonly BarCounter _bars = new();
    private readonly StochasticRange _fastK;
    private readonly SimpleAverage _slowK;
    private readonly SimpleAverage _slowD;
    private readonly LatestOutputs _latest = new(2);

    public StochasticOscillator(int fastKPeriod = 9, int slowKPeriod = 3, int slowDPeriod = 3)
    {
        FastKPeriod = Periods.Check(fastKPeriod, nameof(fastKPeriod));
        SlowKPeriod = Periods.Check(slowKPeriod, nameof(slowKPeriod));
        SlowDPeriod = Periods.Check(slowDPeriod, nameof(slowDPeriod));
        _fastK = new StochasticRange(fastKPeriod);
        _slowK = new SimpleAverage(slowKPeriod);
        _slowD = new SimpleAverage(slowDPeriod);
    }

    public int FastKPeriod { get; }

    public int SlowKPeriod { get; }

    public int SlowDPeriod { get; }

    public string Name => $"STOCH({FastKPeriod},{SlowKPeriod},{SlowDPeriod})";

    public IReadOnlyList<string> Outputs => OutputNames.SlowStochastic;

    public int Lookback => FastKPeriod - 1 + (SlowKPeriod - 1) + (SlowDPeriod - 1);

    public ReadOnlySpan<double> Latest => _latest.Values;

    public void Append(Bar bar) => Update(bar, UpdateKind.Append);

    public void ReplaceLast(Bar bar) => Update(bar, UpdateKind.ReplaceLast);

    private void Update(Bar bar, UpdateKind kind)
    {
        _bars.Advance(kind);
        _latest.Clear();
        if (_fastK.Update(bar, kind) is not { } fastK || _slowK.Update(fastK, kind) is not { } slowK)
        {
            return;
        }
        if (_slowD.Update(slowK, kind) is { } slowD)
        {
            _latest.Set(slowK, slowD);
        }
    }
}
