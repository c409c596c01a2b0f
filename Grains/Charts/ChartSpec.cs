using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Realtime.Quotes.Analysis;
using Realtime.Quotes;

namespace Realtime.Charts;

/// <summary>
/// What makes a chart distinct: symbol, period and indicators in canonical spelling. Its <see cref="Key"/> is the
/// chart grain's key and the <c>chart</c> field of every chart frame (docs/protocol.md 1.9).
/// </summary>
public sealed record ChartSpec(string Symbol, string Period, ImmutableArray<string> Indicators)
{
    public const int MaxIndicators = 8;

    public string Key => $"{Symbol}|{Period}|{string.Join(';', Indicators)}";

    /// <summary>Validates a client's request; the error names the field and why, for an <c>invalid_data</c> frame.</summary>
    public static bool TryCreate(string? symbol, string? period, IReadOnlyList<string>? indicators,
        [NotNullWhen(true)] out ChartSpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        if (!QuoteRules.IsSymbol(symbol))
        {
            error = "'symbol' must be 1-32 characters of A-Z a-z 0-9 . _ -";
            return false;
        }
        if (!ChartPeriod.IsSupported(period))
        {
            error = $"'period' must be one of {string.Join(", ", ChartPeriod.All)}";
            return false;
        }
        indicators ??= [];
        if (indicators.Count > MaxIndicators)
        {
            error = $"at most {MaxIndicators} indicators per chart";
            return false;
        }
        var names = ImmutableArray.CreateBuilder<string>(indicators.Count);
        foreach (var name in indicators)
        {
            if (!IndicatorFactory.TryCreate(name, out var indicator, out var problem))
            {
                error = $"indicator '{name}': {problem}";
                return false;
            }
            if (names.Contains(indicator.Name))
            {
                error = $"indicator '{name}' is requested twice";
                return false;
            }
            names.Add(indicator.Name);
        }
        spec = new ChartSpec(symbol, period, names.MoveToImmutable());
        error = null;
        return true;
    }

    /// <summary>Reads a chart grain key back; false for a key no request could have produced.</summary>
    public static bool TryParseKey(string key, [NotNullWhen(true)] out ChartSpec? spec)
    {
        spec = null;
        var parts = key.Split('|');
        if (parts.Length != 3)
        {
            return false;
        }
        var indicators = parts[2].Length == 0 ? [] : parts[2].Split(';');
        return TryCreate(parts[0], parts[1], indicators, out spec, out _) && spec.Key == key;
    }

    /// <summary>Fresh indicator state machines for this chart, in <see cref="Indicators"/> order.</summary>
    public IIndicator[] CreateIndicators() =>
        [.. Indicators.Select(name => IndicatorFactory.TryCreate(name, out var indicator, out _) ? indicator : throw new InvalidOperationException($"'{name}' no longer parses"))];
}
