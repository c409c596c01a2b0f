namespace Realtime.QuoteFeed.Demo;

/// <summary>
/// One symbol's price as a geometric random walk: each step multiplies the price by e^(σz), z standard normal,
/// so the price stays positive and moves by percentages as real prices do. The same seed gives the same walk.
/// </summary>
internal sealed class RandomWalk
{
    /// <summary>One cent: the walk never goes below what a quote can carry.</summary>
    public const double MinimumPrice = 0.01;

    private readonly Random _random;
    private double _price;

    public RandomWalk(double startPrice, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startPrice, MinimumPrice);
        _price = startPrice;
        _random = random;
    }

    /// <summary>The current price in cents precision, as quotes and bars carry it.</summary>
    public double Price => Math.Round(_price, 2);

    /// <summary>Moves the price by one step of relative standard deviation <paramref name="volatility"/>.</summary>
    public double Step(double volatility)
    {
        // The -σ²/2 term keeps the expected price where it is, so long runs do not drift upwards on average.
        var z = NextStandardNormal();
        _price = Math.Max(MinimumPrice, _price * Math.Exp((volatility * z) - (volatility * volatility / 2)));
        return Price;
    }

    /// <summary>A traded size of at least 1, exponentially distributed: mostly small trades, a few large ones.</summary>
    public long NextVolume(double mean) =>
        Math.Max(1, (long)Math.Round(-Math.Log(1 - _random.NextDouble()) * mean));

    // Box-Muller; 1 - NextDouble() is in (0, 1], so the logarithm is finite.
    private double NextStandardNormal() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
