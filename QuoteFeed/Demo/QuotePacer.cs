namespace Realtime.QuoteFeed.Demo;

/// <summary>
/// Spreads a rate of quotes per second over at most ten ticks a second, one queue message per tick, so a high rate
/// costs few Redis round trips and a low rate still arrives one quote at a time.
/// </summary>
internal sealed class QuotePacer
{
    public const int MaxTicksPerSecond = 10;

    private readonly double _quotesPerTick;
    private double _owed;

    public QuotePacer(int quotesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quotesPerSecond, 1);
        var ticksPerSecond = Math.Min(quotesPerSecond, MaxTicksPerSecond);
        Interval = TimeSpan.FromSeconds(1.0 / ticksPerSecond);
        _quotesPerTick = (double)quotesPerSecond / ticksPerSecond;
    }

    public TimeSpan Interval { get; }

    /// <summary>How many quotes this tick carries; fractions carry over, so a second's ticks add up to the rate.</summary>
    public int NextBatchSize()
    {
        _owed += _quotesPerTick;
        // The epsilon keeps 0.1 + 0.1 + ... from landing a hair under a whole quote.
        var batch = (int)Math.Floor(_owed + 1e-9);
        _owed -= batch;
        return batch;
    }
}
