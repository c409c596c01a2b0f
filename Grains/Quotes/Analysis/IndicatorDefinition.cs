namespace Realtime.Quotes.Analysis;

/// <summary>
/// A validated indicator spelling: its canonical name, outputs and lookback, and a way to make fresh instances
/// (one per bar stream). Lets a caller check and store a request before any bar arrives.
/// </summary>
public sealed class IndicatorDefinition
{
    private readonly Func<IIndicator> _create;

    internal IndicatorDefinition(Func<IIndicator> create)
    {
        _create = create;
        // The indicator class is the single place that knows its name, outputs and lookback; ask one instance.
        var prototype = create();
        Name = prototype.Name;
        Outputs = prototype.Outputs;
        Lookback = prototype.Lookback;
    }

    /// <summary>Canonical name, e.g. <c>BBANDS(close,20,2)</c> for <c>boll</c>.</summary>
    public string Name { get; }

    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Bars before the first value.</summary>
    public int Lookback { get; }

    /// <summary>A new indicator with no bars.</summary>
    public IIndicator Create() => _create();

    public override string ToString() => Name;
}
