using Realtime.QuoteFeed.Demo;

namespace Realtime.Tests.QuoteFeed;

public sealed class BarHistoryTests
{
    private const long FirstBar = 1_767_225_600_000;

    [Fact]
    public void Bars_are_consecutive_minutes_each_opening_at_the_previous_close()
    {
        var walk = new RandomWalk(150, new Random(11));

        var bars = BarHistory.Build(walk, FirstBar, 300, DemoMarket.MinuteVolatility, 30_000);

        Assert.Equal(300, bars.Count);
        Assert.Equal(150, bars[0].Open);
        for (var i = 1; i < bars.Count; i++)
        {
            Assert.Equal(FirstBar + (i * BarHistory.MinuteMs), bars[i].Time);
            Assert.Equal(bars[i - 1].Close, bars[i].Open);
        }
        Assert.Equal(walk.Price, bars[^1].Close);
    }

    [Fact]
    public void Every_bar_is_valid_for_the_bars_service_message()
    {
        var walk = new RandomWalk(20, new Random(12));

        var bars = BarHistory.Build(walk, FirstBar, 1000, 0.05, 30_000);

        Assert.All(bars, bar =>
        {
            Assert.Equal(0, bar.Time % BarHistory.MinuteMs);
            Assert.True(bar.Low <= Math.Min(bar.Open, bar.Close) && Math.Max(bar.Open, bar.Close) <= bar.High, bar.ToString());
            Assert.True(bar.Low > 0 && bar.Volume > 0, bar.ToString());
        });
    }

    [Fact]
    public void History_ends_with_the_last_whole_minute_before_now()
    {
        var now = FirstBar + (5 * BarHistory.MinuteMs) + 12_345;

        Assert.Equal(FirstBar + (4 * BarHistory.MinuteMs), BarHistory.LastCompleteMinute(now));
    }
}
