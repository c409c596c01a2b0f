using Realtime.QuoteFeed.Demo;

namespace Realtime.Tests.QuoteFeed;

public sealed class QuotePacerTests
{
    [Theory]
    [InlineData(20, 100, 2)]
    [InlineData(15, 100, 1)]
    [InlineData(1, 1000, 1)]
    [InlineData(4, 250, 1)]
    [InlineData(10_000, 100, 1000)]
    public void A_second_of_ticks_carries_exactly_the_rate(int rate, int intervalMs, int firstBatch)
    {
        var pacer = new QuotePacer(rate);
        var ticksPerSecond = (int)Math.Round(1000.0 / intervalMs);

        var batches = Enumerable.Range(0, ticksPerSecond * 3).Select(_ => pacer.NextBatchSize()).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(intervalMs), pacer.Interval);
        Assert.Equal(firstBatch, batches[0]);
        Assert.Equal(rate * 3, batches.Sum());
        Assert.All(batches, batch => Assert.True(batch >= 1));
    }
}
