using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Realtime.Quotes;

/// <summary>What makes a symbol, a quote and a bar acceptable (docs/protocol.md 2.3).</summary>
public static partial class QuoteRules
{
    public const int MaxHistoryBars = 1000;

    /// <summary>The most bars a symbol may keep per period (<c>Quotes:HistoryBars</c>), so the most any history request can reach.</summary>
    public const int MaxKeptBars = 100_000;

    public static bool IsSymbol([NotNullWhen(true)] string? symbol) => symbol is not null && SymbolPattern().IsMatch(symbol);

    /// <summary>Null when the quote is acceptable, otherwise why not.</summary>
    public static string? Check(Quote quote)
    {
        if (!IsSymbol(quote.Symbol))
        {
            return "'symbol' must be 1-32 characters of A-Z a-z 0-9 . _ -";
        }
        if (!double.IsFinite(quote.Price) || quote.Price <= 0)
        {
            return "'price' must be a positive number";
        }
        if (!double.IsFinite(quote.Volume) || quote.Volume < 0)
        {
            return "'volume' must be a number >= 0";
        }
        if (quote.Time <= 0)
        {
            return "'time' must be unix milliseconds > 0";
        }
        if (quote.Bid is { } bid && (!double.IsFinite(bid) || bid <= 0) || quote.Ask is { } ask && (!double.IsFinite(ask) || ask <= 0))
        {
            return "'bid' and 'ask' must be positive numbers when given";
        }
        return null;
    }

    /// <summary>Null when the bar is a well-formed bar of <paramref name="period"/>, otherwise why not.</summary>
    public static string? Check(Bar bar, string period)
    {
        double[] values = [bar.Open, bar.High, bar.Low, bar.Close];
        if (values.Any(v => !double.IsFinite(v) || v <= 0) || !double.IsFinite(bar.Volume) || bar.Volume < 0)
        {
            return "prices must be positive and volume >= 0";
        }
        if (bar.Low > Math.Min(bar.Open, bar.Close) || bar.High < Math.Max(bar.Open, bar.Close))
        {
            return "low <= open, close <= high does not hold";
        }
        if (bar.Time <= 0 || ChartPeriod.BarOpen(period, bar.Time) != bar.Time)
        {
            return $"time {bar.Time} is not on a {period} boundary";
        }
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex SymbolPattern();
}
