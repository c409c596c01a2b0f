using Realtime.Quotes;
using Realtime.Quotes.Analysis;

namespace Realtime.Tests.Quotes;

/// <summary>TA-Lib has no VWAP, so it is checked by hand and against its definition.</summary>
public sealed class VolumeWeightedAveragePriceTests
{
    [Fact]
    public void Weights_typical_prices_by_volume_and_waits_for_volume()
    {
        var vwap = new VolumeWeightedAveragePrice();

        vwap.Append(new Bar(0, 10, High: 11, Low: 9, Close: 10, Volume: 0));
        Assert.True(vwap.Latest.IsEmpty);

        vwap.Append(new Bar(60_000, 10, High: 11, Low: 9, Close: 10, Volume: 100));
        Assert.Equal(10.0, vwap.Latest[0], 12);

        // (10*100 + 12*300) / 400
        vwap.Append(new Bar(120_000, 12, High: 13, Low: 11, Close: 12, Volume: 300));
        Assert.Equal(11.5, vwap.Latest[0], 12);
    }

    [Fact]
    public void Matches_the_definition_on_the_reference_series()
    {
        var bars = ReferenceVectors.Bars;
        var vwap = new VolumeWeightedAveragePrice();
        for (var i = 0; i < bars.Count; i++)
        {
            vwap.Append(bars[i]);
            var seen = bars.Take(i + 1).ToList();
            var expected = seen.Sum(b => (b.High + b.Low + b.Close) / 3 * b.Volume) / seen.Sum(b => b.Volume);
            Assert.Equal(expected, vwap.Latest[0], 9);
        }
    }
}
