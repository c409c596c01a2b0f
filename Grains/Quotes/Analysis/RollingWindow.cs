namespace Realtime.Quotes.Analysis;

/// <summary>The last <c>capacity</c> inputs in a ring buffer; the newest can be overwritten while its bar is forming.</summary>
internal sealed class RollingWindow
{
    private readonly double[] _values;
    private int _newest = -1;

    public RollingWindow(int capacity) => _values = new double[capacity];

    public int Count { get; private set; }

    public bool IsFull => Count == _values.Length;

    /// <summary>The oldest input still in the window (the newest one when the capacity is 1).</summary>
    public double Oldest => _values[(_newest - Count + 1 + _values.Length) % _values.Length];

    public void Update(double value, UpdateKind kind)
    {
        if (kind == UpdateKind.Append)
        {
            _newest = (_newest + 1) % _values.Length;
            Count = Math.Min(Count + 1, _values.Length);
        }
        else if (Count == 0)
        {
            throw new InvalidOperationException("There is no value to replace yet; append one first.");
        }
        _values[_newest] = value;
    }
}
