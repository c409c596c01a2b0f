using Realtime.Quotes;

namespace Realtime.Tests.Quotes;

/// <summary><see cref="BarSeries.Page"/>: the pages a client scrolling left is given, at every edge.</summary>
public sealed class BarSeriesPageTests
{
    private static readonly BarSeries Series = Make(10, 19); // bars at minutes 10..19

    private static BarSeries Make(int first, int last)
    {
        var series = new BarSeries("1m", 100);
        for (var m = first; m <= last; m++)
        {
            series.Upsert(new Bar(m * 60_000L, 1, 1, 1, 1, 1));
        }
        return series;
    }

    /// <summary>The page as "minute,minute,... older" (older: "-" when none), so that pages compare by value.</summary>
    private static string Page(long from, long before, int count)
    {
        var (bars, older) = Series.Page(from, before, count);
        return $"{string.Join(',', bars.Select(b => b.Time / 60_000))} {(older is { } o ? (o / 60_000).ToString() : "-")}";
    }

    private static long M(int minute) => minute * 60_000L;

    [Fact]
    public void The_newest_bars_and_where_older_ones_resume() =>
        Assert.Equal("17,18,19 16", Page(long.MinValue, long.MaxValue, 3));

    [Fact]
    public void Before_is_exclusive() =>
        Assert.Equal("15,16 14", Page(long.MinValue, M(17), 2));

    [Fact]
    public void A_time_between_bars_pages_from_the_bar_before_it() =>
        Assert.Equal("16 15", Page(long.MinValue, M(16) + 1, 1));

    [Fact]
    public void The_last_page_has_no_older_bars() =>
        Assert.Equal("10,11 -", Page(long.MinValue, M(12), 5));

    [Fact]
    public void Before_the_first_bar_there_is_nothing() =>
        Assert.Equal(" -", Page(long.MinValue, M(10), 5));

    [Fact]
    public void From_is_inclusive_and_bounds_the_page() =>
        Assert.Equal("13,14 12", Page(M(13), M(15), 10));

    [Fact]
    public void A_range_with_no_bars_says_where_older_ones_are() =>
        Assert.Equal(" 19", Page(M(30), M(40), 10));

    [Fact]
    public void A_count_of_zero_gives_nothing_but_still_says_where_history_resumes() =>
        Assert.Equal(" 19", Page(long.MinValue, long.MaxValue, 0));
}
