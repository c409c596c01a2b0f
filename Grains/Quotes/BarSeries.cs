namespace Realtime.Quotes;

/// <summary>
/// The bars of one symbol and period, oldest first, capped at <see cref="Capacity"/> (the oldest are dropped).
/// </summary>
public sealed class BarSeries(string period, int capacity = QuoteRules.MaxHistoryBars)
{
    private readonly List<Bar> _bars = [];

    public string Period => period;

    public int Capacity => capacity;

    public int Count => _bars.Count;

    public Bar this[int index] => _bars[index];

    public Bar? Last => _bars.Count == 0 ? null : _bars[^1];

    public IReadOnlyList<Bar> Bars => _bars;

    /// <summary>Folds a quote into the bar it falls in; returns that bar and the open time of a bar dropped for room.</summary>
    public (Bar Changed, long? Evicted) Apply(Quote quote)
    {
        var open = ChartPeriod.BarOpen(period, quote.Time);
        if (Last is { } last && last.Time == open)
        {
            var updated = last with
            {
                High = Math.Max(last.High, quote.Price),
                Low = Math.Min(last.Low, quote.Price),
                Close = quote.Price,
                Volume = last.Volume + quote.Volume,
            };
            _bars[^1] = updated;
            return (updated, null);
        }
        var bar = new Bar(open, quote.Price, quote.Price, quote.Price, quote.Price, quote.Volume);
        if (Last is { } previous && previous.Time > open)
        {
            // A quote for a bar before the newest: only possible after a backfill reached past live quotes.
            var index = _bars.FindIndex(b => b.Time == open);
            if (index < 0)
            {
                return (bar, null);
            }
            var old = _bars[index];
            bar = old with { High = Math.Max(old.High, quote.Price), Low = Math.Min(old.Low, quote.Price), Volume = old.Volume + quote.Volume };
            _bars[index] = bar;
            return (bar, null);
        }
        return (bar, Append(bar));
    }

    /// <summary>
    /// Puts a bar in by time: replaces the bar with the same time, appends a later one, ignores one older than the
    /// newest that the series does not hold. Returns whether anything changed and what was dropped for room.
    /// </summary>
    public (bool Changed, long? Evicted) Upsert(Bar bar)
    {
        if (Last is { } last)
        {
            if (bar.Time == last.Time)
            {
                var changed = last != bar;
                _bars[^1] = bar;
                return (changed, null);
            }
            if (bar.Time < last.Time)
            {
                return (false, null);
            }
        }
        return (true, Append(bar));
    }

    /// <summary>
    /// Merges historical bars by time, newest <see cref="Capacity"/> kept. A bar the series lacks is added and a bar
    /// opening before <paramref name="liveFrom"/> is replaced. A bar from <paramref name="liveFrom"/> on has been built
    /// by quotes, and only a fuller one (more volume) replaces it: a stale copy of such a bar, from a backfill taken
    /// while quotes kept coming or delivered again after a crash, never holds more volume than the quotes have added.
    /// </summary>
    public void Merge(IEnumerable<Bar> bars, long liveFrom = long.MaxValue)
    {
        var byTime = _bars.ToDictionary(b => b.Time);
        foreach (var bar in bars)
        {
            if (bar.Time < liveFrom || !byTime.TryGetValue(bar.Time, out var held) || bar.Volume > held.Volume)
            {
                byTime[bar.Time] = bar;
            }
        }
        _bars.Clear();
        _bars.AddRange(byTime.Values.OrderBy(b => b.Time).TakeLast(capacity));
    }

    public IEnumerable<Bar> Newest(int count) => _bars.Skip(Math.Max(0, _bars.Count - count));

    /// <summary>
    /// A page of history scrolling back: the newest <paramref name="count"/> bars opening in [<paramref name="from"/>,
    /// <paramref name="before"/>), oldest first, and the open time of the newest bar before them (null: none).
    /// </summary>
    public (List<Bar> Bars, long? Older) Page(long from, long before, int count)
    {
        var end = FirstAtOrAfter(before);
        var start = Math.Min(end, Math.Max(FirstAtOrAfter(from), end - Math.Max(0, count)));
        return (_bars.GetRange(start, end - start), start > 0 ? _bars[start - 1].Time : null);
    }

    /// <summary>The bars opening in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    public IEnumerable<Bar> Between(long from, long to) => _bars.SkipWhile(b => b.Time < from).TakeWhile(b => b.Time < to);

    /// <summary>The index of the first bar opening at or after <paramref name="time"/> (the count when none does).</summary>
    private int FirstAtOrAfter(long time)
    {
        var (low, high) = (0, _bars.Count);
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (_bars[middle].Time < time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    private long? Append(Bar bar)
    {
        _bars.Add(bar);
        if (_bars.Count <= capacity)
        {
            return null;
        }
        var evicted = _bars[0].Time;
        _bars.RemoveAt(0);
        return evicted;
    }
}
