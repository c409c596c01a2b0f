namespace Realtime.Quotes.Analysis;

/// <summary>
/// A technical indicator computed incrementally over one bar stream. Both updates cost O(1) (amortised), so a live
/// chart can refresh on every tick. Values match TA-Lib wherever TA-Lib defines the indicator, including the
/// lookback: no value is produced before the bar where TA-Lib's first value is.
/// </summary>
public interface IIndicator
{
    /// <summary>Canonical name: TA-Lib's spelling where TA-Lib defines the indicator, e.g. <c>SMA(close,5)</c>.</summary>
    string Name { get; }

    /// <summary>Output names in the order <see cref="Latest"/> reports them, e.g. <c>upper, middle, lower</c>.</summary>
    IReadOnlyList<string> Outputs { get; }

    /// <summary>How many bars come before the first value (TA-Lib's lookback); the first value is at this index.</summary>
    int Lookback { get; }

    /// <summary>The latest bar's outputs in <see cref="Outputs"/> order; empty while in the lookback.</summary>
    ReadOnlySpan<double> Latest { get; }

    /// <summary>A new bar; the previous latest bar is now final.</summary>
    void Append(Bar bar);

    /// <summary>
    /// The latest bar changed (a new tick). The result is the same as if this bar had been appended in the first place.
    /// </summary>
    /// <exception cref="InvalidOperationException">No bar has been appended yet.</exception>
    void ReplaceLast(Bar bar);
}
