namespace Realtime.Quotes.Analysis;

/// <summary>TA-Lib's simple moving average over a stream of numbers.</summary>
internal sealed class SimpleAverage
{
    private readonly int _period;
    private readonly RollingWindow _window;

    // TA-Lib keeps a running total (add the newest, divide, subtract the oldest) instead of re-summing the window;
    // its rounding is baked into the reference numbers, so we carry the total exactly the same way.
    private readonly Revisable<double> _total = new(0.0);

    public SimpleAverage(int period)
    {
        _period = period;
        _window = new RollingWindow(period);
    }

    /// <summary>Takes the latest input and returns the average ending with it, or null before <c>period</c> inputs.</summary>
    public double? Update(double value, UpdateKind kind)
    {
        _window.Update(value, kind);
        var total = _total.Start(kind) + value;
        if (!_window.IsFull)
        {
            _total.Finish(total);
            return null;
        }
        _total.Finish(total - _window.Oldest);
        return total / _period;
    }
}
