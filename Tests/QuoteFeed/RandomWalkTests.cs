using Realtime.QuoteFeed.Demo;

namespace Realtime.Tests.QuoteFeed;

public sealed class RandomWalkTests
{
    [Fact]
    public void The_same_seed_walks_the_same_prices_and_volumes()
    {
        var first = new RandomWalk(100, new Random(42));
        var second = new RandomWalk(100, new Random(42));

        var a = Enumerable.Range(0, 1000).Select(_ => (first.Step(0.01), first.NextVolume(200))).ToList();
        var b = Enumerable.Range(0, 1000).Select(_ => (second.Step(0.01), second.NextVolume(200))).ToList();

        Assert.Equal(a, b);
        Assert.NotEqual(a, Enumerable.Range(0, 1000).Select(_ => (0d, 0L)).ToList());
    }

    [Fact]
    public void A_different_seed_walks_differently()
    {
        var first = new RandomWalk(100, new Random(1));
        var second = new RandomWalk(100, new Random(2));

        Assert.NotEqual(
            Enumerable.Range(0, 100).Select(_ => first.Step(0.01)).ToList(),
            Enumerable.Range(0, 100).Select(_ => second.Step(0.01)).ToList());
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(0.5)]
    public void Prices_stay_positive_and_in_whole_cents_even_in_a_wild_market(double volatility)
    {
        var walk = new RandomWalk(3, new Random(7));

        var prices = Enumerable.Range(0, 20_000).Select(_ => walk.Step(volatility)).ToList();

        Assert.All(prices, price =>
        {
            Assert.True(price >= RandomWalk.MinimumPrice, $"price {price}");
            Assert.Equal(Math.Round(price, 2), price);
        });
    }

    [Fact]
    public void Small_volatility_moves_the_price_by_small_steps()
    {
        var walk = new RandomWalk(200, new Random(3));
        var previous = walk.Price;

        foreach (var price in Enumerable.Range(0, 1000).Select(_ => walk.Step(0.001)))
        {
            Assert.InRange(Math.Abs(price / previous - 1), 0, 0.01);
            previous = price;
        }
    }

    [Fact]
    public void Volumes_are_whole_positive_sizes_around_the_mean()
    {
        var walk = new RandomWalk(100, new Random(5));

        var volumes = Enumerable.Range(0, 10_000).Select(_ => walk.NextVolume(200)).ToList();

        Assert.All(volumes, volume => Assert.True(volume >= 1));
        Assert.InRange(volumes.Average(), 180, 220);
    }
}
