namespace Realtime.QuoteFeed.Demo;

/// <summary>Builds one-minute bars by walking a symbol's price through each minute, so history and live quotes join up.</summary>
internal static class BarHistory
{
    public const long MinuteMs = 60_000;

    // Enough steps per bar for highs and lows that differ from open and close, without making history slow to build.
    private const int StepsPerBar = 12;

    /// <summary>
    /// <paramref name="count"/> consecutive bars, the first opening at <paramref name="firstBarTime"/>; each opens at
    /// the previous close and the walk ends at the last close.
    /// </summary>
    public static IReadOnlyList<DemoBar> Build(
        RandomWalk walk,
        long firstBarTime,
        int count,
        double minuteVolatility,
        double volumePerMinute)
    {
        var stepVolatility = minuteVolatility / Math.Sqrt(StepsPerBar);
        var bars = new List<DemoBar>(count);
        for (var i = 0; i < count; i++)
        {
            var open = walk.Price;
            var (high, low, close, volume) = (open, open, open, 0L);
            for (var step = 0; step < StepsPerBar; step++)
            {
                close = walk.Step(stepVolatility);
                high = Math.Max(high, close);
                low = Math.Min(low, close);
                volume += walk.NextVolume(volumePerMinute / StepsPerBar);
            }
            bars.Add(new DemoBar(firstBarTime + (i * MinuteMs), open, high, low, close, volume));
        }
        return bars;
    }

    /// <summary>The open of the last whole minute before <paramref name="nowMs"/>: history ends there and live quotes build the current minute.</summary>
    public static long LastCompleteMinute(long nowMs) => (nowMs / MinuteMs * MinuteMs) - MinuteMs;
}
