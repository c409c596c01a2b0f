namespace Realtime.Quotes.Analysis;

/// <summary>
/// TA-Lib's exponential moving average over a stream: seeded with the simple average of the first <c>period</c>
/// inputs, then <c>ema += (x - ema) * 2 / (period + 1)</c>, written in TA-Lib's operation order.
/// </summary>
internal sealed class ExponentialAverage
{
    private readonly int _period;
    private readonly double _k;
    private readonly Revisable<State> _state = new(default);

    public ExponentialAverage(int period)
    {
        _period = period;
        _k = 2.0 / (period + 1.0);
    }

    /// <summary>Takes the latest input and returns the average ending with it, or null before <c>period</c> inputs.</summary>
    public double? Update(double value, UpdateKind kind)
    {
        var before = _state.Start(kind);
        if (before.Seen == _period)
        {
            var ema = ((value - before.Value) * _k) + before.Value;
            _state.Finish(before with { Value = ema });
            return ema;
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
