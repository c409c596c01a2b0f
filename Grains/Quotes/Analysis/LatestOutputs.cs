namespace Realtime.Quotes.Analysis;

/// <summary>An indicator's outputs for its latest bar, or nothing while it is still in its lookback.</summary>
internal sealed class LatestOutputs
{
    private readonly double[] _values;
    private bool _hasValue;

    public LatestOutputs(int count) => _values = new double[count];

    public ReadOnlySpan<double> Values => _hasValue ? _values : ReadOnlySpan<double>.Empty;

    public void Clear() => _hasValue = false;

    public void Set(double value)
    {
        _values[0] = value;
        _hasValue = true;
    }

    public void Set(double first, double second)
    {
        _values[0] = first;
        _values[1] = second;
        _hasValue = true;
    }

    public void Set(double first, double second, double third)
    {
        _values[0] = first;
        _values[1] = second;
        _values[2] = third;
        _hasValue = true;
    }
}
