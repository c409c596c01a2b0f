namespace Realtime.Quotes.Analysis;

/// <summary>
/// KDJ as Chinese-market charting software (通达信, 同花顺) defines it. TA-Lib has no KDJ, so this is our convention:
/// <list type="bullet">
/// <item>RSV = 100 × (close − lowest low) / (highest high − lowest low) over the last <c>n</c> bars; exactly TA-Lib's
/// fast %K, including 0 for a flat window.</item>
/// <item>K = ((m1 − 1) × previous K + RSV) / m1, i.e. the Chinese SMA(RSV, m1, 1): 2/3 × previous K + 1/3 × RSV for m1 = 3.</item>
/// <item>D = ((m2 − 1) × previous D + K) / m2, the same smoothing applied to K.</item>
/// <item>J = 3K − 2D.</item>
/// <item>Previous K and D are taken as 50 before the first RSV, which is at bar <c>n − 1</c> (the first full window);
/// all three outputs start there.</item>
/// </list>
/// Unlike STOCH's SMA smoothing this is recursive, so early values depend on the 50 seed and fade out over time.
/// </summary>
public sealed class KdjIndicator : IIndicator
{
    private const double Seed = 50.0;

    private readonly BarCounter _bars = new();
    private readonly StochasticRange _rsv;
    private readonly Revisable<State> _state = new(new State(Seed, Seed));
    private readonly LatestOutputs _latest = new(3);

    public KdjIndicator(int period = 9, int kSmoothing = 3, int dSmoothing = 3)
    {
        Period = Periods.Check(period, nameof(period));
        KSmoothing = Periods.Check(kSmoothing, nameof(kSmoothing));
        DSmoothing = Periods.Check(dSmoothing, nameof(dSmoothing));
        _rsv = new StochasticRange(period);
    }

    public int Period { get; }

    public int KSmoothing { get; }

    public int DSmoothing { get; }

    public string Name => $"KDJ({Period},{KSmoothing},{DSmoothing})";

    public IReadOnlyList<string> Outputs => OutputNames.Kdj;

    public int Lookback => Period - 1;

    public ReadOnlySpan<double> Latest => _latest.Values;

    public void Append(Bar bar) => Update(bar, UpdateKind.Append);

    public void ReplaceLast(Bar bar) => Update(bar, UpdateKind.ReplaceLast);

    private void Update(Bar bar, UpdateKind kind)
    {
        _bars.Advance(kind);
        if (_rsv.Update(bar, kind) is not { } rsv)
        {
            _latest.Clear();
            return;
        }
        // The smoothing state only starts moving at the first RSV, so before that it stays at the 50 seed.
        var before = _state.Start(kind);
        var k = (((KSmoothing - 1) * before.K) + rsv) / KSmoothing;
        var d = (((DSmoothing - 1) * before.D) + k) / DSmoothing;
        _state.Finish(new State(k, d));
        _latest.Set(k, d, (3.0 * k) - (2.0 * d));
    }

    private readonly record struct State(double K, double D);
}
