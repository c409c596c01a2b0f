namespace Realtime.Quotes.Analysis;

/// <summary>
/// MACD (TA-Lib <c>MACD</c>): macd = EMA(fast) - EMA(slow) of the close, signal = EMA(signal) of macd,
/// hist = macd - signal. First value at bar <c>(slow - 1) + (signal - 1)</c>.
/// </summary>
/// <remarks>
/// TA-Lib starts both EMAs at bar <c>slow - 1</c>: the fast EMA is seeded there with the SMA of the <c>fast</c>
/// closes ending at that bar, not at bar <c>fast - 1</c> like a standalone EMA, so its early values differ from
/// <see cref="ExponentialMovingAverage"/>. The signal EMA is seeded with the SMA of the first <c>signal</c> macd values.
/// </remarks>
public sealed class MovingAverageConvergenceDivergence : IIndicator
{
    private readonly BarCounter _bars = new();
    private readonly ExponentialAverage _fast;
    private readonly ExponentialAverage _slow;
    private readonly ExponentialAverage _signal;
    private readonly LatestOutputs _latest = new(3);

    public MovingAverageConvergenceDivergence(int fastPeriod = 12, int slowPeriod = 26, int signalPeriod = 9)
    {
        FastPeriod = Periods.Check(fastPeriod, nameof(fastPeriod));
        SlowPeriod = Periods.Check(slowPeriod, nameof(slowPeriod));
        SignalPeriod = Periods.Check(signalPeriod, nameof(signalPeriod));
        if (fastPeriod >= slowPeriod)
        {
            throw new ArgumentException($"The fast period ({fastPeriod}) must be shorter than the slow one ({slowPeriod}).", nameof(fastPeriod));
        }
        _fast = new ExponentialAverage(fastPeriod);
        _slow = new ExponentialAverage(slowPeriod);
        _signal = new ExponentialAverage(signalPeriod);
    }

    public int FastPeriod { get; }

    public int SlowPeriod { get; }

    public int SignalPeriod { get; }

    public string Name => $"MACD(close,{FastPeriod},{SlowPeriod},{SignalPeriod})";

    public IReadOnlyList<string> Outputs => OutputNames.Macd;

    public int Lookback => SlowPeriod - 1 + (SignalPeriod - 1);

    public ReadOnlySpan<double> Latest => _latest.Values;

    public void Append(Bar bar) => Update(bar, UpdateKind.Append);

    public void ReplaceLast(Bar bar) => Update(bar, UpdateKind.ReplaceLast);

    private void Update(Bar bar, UpdateKind kind)
    {
        var index = _bars.Advance(kind);
        _latest.Clear();
        var slow = _slow.Update(bar.Close, kind);
        // The fast EMA only sees the closes it needs to be seeded exactly at the slow EMA's first bar.
        if (index < SlowPeriod - FastPeriod)
        {
            return;
        }
        var fast = _fast.Update(bar.Close, kind);
        if (fast is not { } fastValue || slow is not { } slowValue)
        {
            return;
        }
        var macd = fastValue - slowValue;
        if (_signal.Update(macd, kind) is { } signal)
        {
            _latest.Set(macd, signal, macd - signal);
        }
    }
}
