using System.Collections.Immutable;
using Realtime.Quotes.Analysis;
using Realtime.Quotes;

namespace Realtime.Charts;

/// <summary>
/// A chart's bars with its indicators' outputs at every bar. A new or revised last bar costs O(1) per indicator;
/// nothing is ever recomputed over the history.
/// </summary>
public sealed class ChartComputation
{
    private readonly BarSeries _bars;
    private readonly IIndicator[] _indicators;
    private readonly List<double[]?[]> _rows = [];

    public ChartComputation(ChartSpec spec, IEnumerable<Bar> history)
    {
        Spec = spec;
        _bars = new BarSeries(spec.Period);
        _indicators = spec.CreateIndicators();
        foreach (var bar in history)
        {
            Upsert(bar);
        }
    }

    public ChartSpec Spec { get; }

    public IReadOnlyList<IIndicator> Indicators => _indicators;

    public IReadOnlyList<Bar> Bars => _bars.Bars;

    /// <summary>
    /// The open time of the newest bar sent as final (docs/protocol.md 1.9); every bar up to it is final, and one that
    /// changes after that is a revision. <see cref="long.MinValue"/> while none is.
    /// </summary>
    public long FinalThrough { get; private set; } = long.MinValue;

    public bool IsFinal(int index) => _bars[index].Time <= FinalThrough;

    /// <summary>Marks the bars up to <paramref name="time"/> final; true when that made a bar final. Finality never goes back.</summary>
    public bool MarkFinalThrough(long time)
    {
        if (time <= FinalThrough)
        {
            return false;
        }
        FinalThrough = time;
        return true;
    }

    /// <summary>The index of the first bar opening after <paramref name="time"/> (the count when none does).</summary>
    public int IndexAfter(long time)
    {
        var index = IndexOf(time);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>Indicator outputs at bar <paramref name="index"/>: one array per indicator, null during its lookback.</summary>
    public double[]?[] OutputsAt(int index) => _rows[index];

    /// <summary>The index of the bar opening at <paramref name="time"/>, or a negative number when there is none.</summary>
    public int IndexOf(long time) => BinarySearch(_bars.Bars, time);

    /// <summary>The bars from <paramref name="index"/> on, each with its indicators' outputs.</summary>
    public ImmutableArray<ChartPoint> PointsFrom(int index)
    {
        var points = ImmutableArray.CreateBuilder<ChartPoint>(Math.Max(0, _bars.Count - index));
        for (var i = index; i < _bars.Count; i++)
        {
            points.Add(new ChartPoint(_bars[i], _rows[i], IsFinal(i)));
        }
        return points.MoveToImmutable();
    }

    /// <summary>Applies a bar by time (see <see cref="BarSeries.Upsert"/>); true when the chart changed.</summary>
    public bool Upsert(Bar bar)
    {
        var replacing = _bars.Last is { } last && last.Time == bar.Time;
        var (changed, evicted) = _bars.Upsert(bar);
        if (!changed)
        {
            return false;
        }
        var row = new double[]?[_indicators.Length];
        for (var i = 0; i < _indicators.Length; i++)
        {
            if (replacing)
            {
                _indicators[i].ReplaceLast(bar);
            }
            else
            {
                _indicators[i].Append(bar);
            }
            var latest = _indicators[i].Latest;
            row[i] = latest.IsEmpty ? null : latest.ToArray();
        }
        if (replacing)
        {
            _rows[^1] = row;
        }
        else
        {
            _rows.Add(row);
        }
        if (evicted is not null)
        {
            _rows.RemoveAt(0);
        }
        return true;
    }

    private static int BinarySearch(IReadOnlyList<Bar> bars, long time)
    {
        var (low, high) = (0, bars.Count - 1);
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            var at = bars[middle].Time;
            if (at == time)
            {
                return middle;
            }
            if (at < time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return ~low;
    }
}
