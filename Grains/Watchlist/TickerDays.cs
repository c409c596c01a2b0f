using Realtime.Quotes;

namespace Realtime.Watchlist;

/// <summary>
/// The two newest day bars of a symbol and its latest quote, folded from the quote centre's ticks: all a watchlist
/// line is made of.
/// </summary>
internal sealed class TickerDays(string symbol)
{
    public const string Period = "1d";

    private Bar? _today;
    private Bar? _previous;
    private Quote? _latest;

    /// <summary>Starts again from the centre's newest day bars (oldest first) and latest quote.</summary>
    public void Reset(IReadOnlyList<Bar> days, Quote? latest)
    {
        _today = days.Count > 0 ? days[^1] : null;
        _previous = days.Count > 1 ? days[^2] : null;
        _latest = latest;
    }

    /// <summary>Folds one changed day bar in; false when it is older than the newest (history moved: reload).</summary>
    public bool TryApply(Bar day)
    {
        if (_today is not { } today || day.Time == today.Time)
        {
            _today = day;
            return true;
        }
        if (day.Time > today.Time)
        {
            _previous = _today;
            _today = day;
            return true;
        }
        return false;
    }

    public void Apply(Quote latest) => _latest = latest;

    /// <summary>The line now; null before any bar.</summary>
    public TickerLine? Line => _today is { } today
        ? new TickerLine(symbol, today.Close, _previous?.Close, today.Volume, Math.Max(_latest?.Time ?? 0, today.Time))
        : null;
}
