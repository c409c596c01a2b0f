using System.Diagnostics.CodeAnalysis;

namespace Realtime.Quotes.Analysis;

/// <summary>Makes a fresh indicator from any accepted spelling (see <see cref="IndicatorParser"/>).</summary>
public static class IndicatorFactory
{
    /// <summary>
    /// Parses <paramref name="text"/> and creates its indicator, or returns false with a message for the user.
    /// Never throws for bad input.
    /// </summary>
    public static bool TryCreate(
        string? text,
        [NotNullWhen(true)] out IIndicator? indicator,
        [NotNullWhen(false)] out string? error)
    {
        if (IndicatorParser.TryParse(text, out var definition, out error))
        {
            indicator = definition.Create();
            return true;
        }
        indicator = null;
        return false;
    }
}
