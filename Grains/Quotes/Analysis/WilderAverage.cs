namespace Realtime.Quotes.Analysis;

/// <summary>
/// Wilder's smoothing as TA-Lib does it for RSI and ATR: seeded with the simple average of the first <c>period</c>
/// inputs, then <c>avg = (avg * (period - 1) + x) / period</c>, in that operation order.
/// </summary>
internal sealed class WilderAverage
{
    private readonly int _period;
    private readonly Revisable<State> _state = new(default);

    public WilderAverage(int period) => _period = period;

    /// <summary>Takes the latest input and returns the average ending with it, or null before <c>period</c> inputs.</summary>
    public double? Update(double value, UpdateKind kind)
    {
        var before = _state.Start(kind);
        if (before.Seen == _period)
        {
            var smoothed = ((before.Value * (_period - 1)) + value) / _period;
            _state.Finish(before with { Value = smoothed });
            return smoothed;
        }
        var sum = before.Value + value;
        var seen = before.Seen + 1;
        if (seen < _period)
        {
            _state.Finish(new State(seen, sum));
            return null;
        }
        var seed = sum / _period;
        _state.Finish(new State(seen, seed));
        return seed;
    }

    /// <param name="Seen">Inputs seen, capped at the period.</param>
    /// <param name="Value">The running sum while seeding, the average afterwards.</param>
    private readonly record struct State(int Seen, double Value);
}
