using Realtime.Quotes.Analysis;

namespace Realtime.Tests.Quotes;

public sealed class IndicatorSetTests
{
    [Fact]
    public void Runs_every_indicator_over_the_same_bars()
    {
        Assert.True(IndicatorSet.TryCreate(["MA(5)", "BOLL", "KDJ"], out var set, out var error), error);
        Assert.Equal(["SMA(close,5)", "BBANDS(close,20,2)", "KDJ(9,3,3)"], set.Indicators.Select(i => i.Name));
        var alone = new KdjIndicator();
        foreach (var bar in ReferenceVectors.Bars.Take(50))
        {
            set.Append(bar with { Close = bar.Open });
            set.ReplaceLast(bar);
            alone.Append(bar);
        }
        Assert.Equal(50, set.BarCount);
        Assert.Equal(alone.Latest.ToArray(), set.Indicators[2].Latest.ToArray());
        Assert.Equal(ReferenceVectors.Expected["BBANDS(close,20,2)"]["middle"][49], set.Indicators[1].Latest[1], 9);
    }

    [Fact]
    public void Refuses_the_same_indicator_twice()
    {
        Assert.False(IndicatorSet.TryCreate(["MA(5)", "SMA(close,5)"], out var set, out var error));
        Assert.Null(set);
        Assert.Contains("SMA(close,5)", error);
    }

    [Fact]
    public void Reports_the_first_bad_name()
    {
        Assert.False(IndicatorSet.TryCreate(["MA(5)", "MA(0)", "NOPE"], out _, out var error));
        Assert.Contains("MA(0)", error);
    }

    [Fact]
    public void Refuses_a_replace_before_any_bar()
    {
        Assert.True(IndicatorSet.TryCreate([], out var set, out _));
        Assert.Throws<InvalidOperationException>(() => set.ReplaceLast(ReferenceVectors.Bars[0]));
    }
}
