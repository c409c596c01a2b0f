namespace Realtime.Quotes.Analysis;

/// <summary>
/// The highest (or lowest) of the last <c>period</c> inputs in amortised O(1), via a monotonic deque.
/// The deque holds only final inputs; the latest, still-forming input is kept aside and compared at the end,
/// so replacing it never has to undo deque pops.
/// </summary>
internal sealed class RollingExtreme
{
    private readonly int _period;
    private readonly bool _maximum;

    // Ring buffer of candidates, oldest first, each strictly better than every candidate after it.
    private readonly long[] _indices;
    private readonly double[] _values;
    private int _head;
    private int _count;

    private long _latestIndex = -1;
    private double _latest;

    private RollingExtreme(int period, bool maximum)
    {
        _period = period;
        _maximum = maximum;
        _indices = new long[period];
        _values = new double[period];
    }

    public static RollingExtreme Highest(int period) => new(period, maximum: true);

    public static RollingExtreme Lowest(int period) => new(period, maximum: false);

    /// <summary>True once <c>period</c> inputs have been seen, i.e. the window is complete.</summary>
    public bool IsFull => _latestIndex + 1 >= _period;

    /// <summary>Takes the latest input and returns the extreme over the window ending with it.</summary>
    public double Update(double value, UpdateKind kind)
    {
        if (kind == UpdateKind.Append)
        {
            if (_latestIndex >= 0)
            {
                Keep(_latestIndex, _latest);
            }
            _latestIndex++;
            DropOlderThan(_latestIndex - _period + 1);
        }
        else if (_latestIndex < 0)
        {
            throw new InvalidOperationException("There is no value to replace yet; append one first.");
        }
        _latest = value;
        return _count > 0 && !Beats(value, _values[_head]) ? _values[_head] : value;
    }

    private bool Beats(double candidate, double other) => _maximum ? candidate > other : candidate < other;

    private void Keep(long index, double value)
    {
        while (_count > 0 && !Beats(_values[Slot(_count - 1)], value))
        {
            _count--;
        }
        var slot = Slot(_count);
        _indices[slot] = index;
        _values[slot] = value;
        _count++;
    }

    private void DropOlderThan(long firstIndexInWindow)
    {
        while (_count > 0 && _indices[_head] < firstIndexInWindow)
        {
            _head = (_head + 1) % _period;
            _count--;
        }
    }

    private int Slot(int offsetFromHead) => (_head + offsetFromHead) % _period;
}
