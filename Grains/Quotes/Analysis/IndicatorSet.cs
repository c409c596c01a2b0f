using System.Diagnostics.CodeAnalysis;

namespace Realtime.Quotes.Analysis;

/// <summary>Several indicators fed the same bar stream, e.g. everything one chart shows.</summary>
public sealed class IndicatorSet
{
    private readonly IIndicator[] _indicators;

    /// <param name="indicators">Fresh indicators (no bars yet), each listed once.</param>
    public IndicatorSet(IEnumerable<IIndicator> indicators)
    {
        _indicators = indicators.ToArray();
        if (_indicators.Distinct(ReferenceEqualityComparer.Instance).Count() != _indicators.Length)
        {
            throw new ArgumentException("An indicator instance is listed twice; it would see every bar twice.", nameof(indicators));
        }
    }

    /// <summary>Indicators in the order they were given.</summary>
    public IReadOnlyList<IIndicator> Indicators => _indicators;

    public int BarCount { get; private set; }

    /// <summary>
    /// Parses every name (see <see cref="IndicatorParser"/>) into a set. Two spellings of the same indicator
    /// (<c>MA(5)</c> and <c>SMA(close,5)</c>) are rejected, since a chart would draw the same line twice.
    /// </summary>
    public static bool TryCreate(
        IEnumerable<string> names,
        [NotNullWhen(true)] out IndicatorSet? set,
        [NotNullWhen(false)] out string? error)
    {
        set = null;
        var definitions = new List<IndicatorDefinition>();
        foreach (var name in names)
        {
            if (!IndicatorParser.TryParse(name, out var definition, out var problem))
            {
                error = $"\"{name}\": {problem}";
                return false;
            }
            if (definitions.Exists(d => d.Name == definition.Name))
            {
                error = $"\"{name}\" is {definition.Name} again; list each indicator once.";
                return false;
            }
            definitions.Add(definition);
        }
        set = new IndicatorSet(definitions.Select(d => d.Create()));
        error = null;
        return true;
    }

    /// <summary>A new bar for every indicator.</summary>
    public void Append(Bar bar)
    {
        foreach (var indicator in _indicators)
        {
            indicator.Append(bar);
        }
        BarCount++;
    }

    /// <summary>The latest bar changed; every indicator recomputes its last step only.</summary>
    /// <exception cref="InvalidOperationException">No bar has been appended yet.</exception>
    public void ReplaceLast(Bar bar)
    {
        if (BarCount == 0)
        {
            throw new InvalidOperationException("There is no bar to replace yet; append one first.");
        }
        foreach (var indicator in _indicators)
        {
            indicator.ReplaceLast(bar);
        }
    }
}
