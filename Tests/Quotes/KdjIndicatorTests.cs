using Realtime.Quotes;
using Realtime.Quotes.Analysis;

namespace Realtime.Tests.Quotes;

/// <summary>TA-Lib has no KDJ, so it is checked by hand and against a plain re-statement of its definition.</summary>
public sealed class KdjIndicatorTests
{
    [Fact]
    public void Small_series_by_hand()
    {
        var kdj = new KdjIndicator(period: 2, kSmoothing: 3, dSmoothing: 3);

        kdj.Append(new Bar(0, 9, High: 10, Low: 8, Close: 9, Volume: 1));
        Assert.True(kdj.Latest.IsEmpty);

        // Window 8..12, close 12: RSV 100. K = (2*50 + 100)/3, D = (2*50 + K)/3, J = 3K - 2D.
        kdj.Append(new Bar(60_000, 9, High: 12, Low: 9, Close: 12, Volume: 1));
        AssertClose([200.0 / 3, 500.0 / 9, 800.0 / 9], kdj.Latest);

        // Window 9..12, close 10: RSV 100/3. K = (2*200/3 + 100/3)/3 = 500/9, D = (2*500/9 + 500/9)/3 = 500/9.
        kdj.Append(new Bar(120_000, 11, High: 11, Low: 10, Close: 10, Volume: 1));
        AssertClose([500.0 / 9, 500.0 / 9, 500.0 / 9], kdj.Latest);
    }

    [Fact]
    public void A_flat_window_reads_rsv_zero_like_talibs_fast_k()
    {
        var kdj = new KdjIndicator(period: 1, kSmoothing: 3, dSmoothing: 3);
        kdj.Append(new Bar(0, 5, 5, 5, 5, 1));
        AssertClose([100.0 / 3, 400.0 / 9, 100.0 / 9], kdj.Latest);
    }

    [Fact]
    public void Matches_the_definition_on_the_reference_series()
    {
        var bars = ReferenceVectors.Bars;
        var kdj = new KdjIndicator();
        double k = 50, d = 50;
        for (var i = 0; i < bars.Count; i++)
        {
            kdj.Append(bars[i]);
            if (i < 8)
            {
                Assert.True(kdj.Latest.IsEmpty);
                continue;
            }
            var window = bars.Skip(i - 8).Take(9).ToList();
            var highest = window.Max(b => b.High);
            var lowest = window.Min(b => b.Low);
            var rsv = highest == lowest ? 0 : 100 * (bars[i].Close - lowest) / (highest - lowest);
            k = (2.0 / 3 * k) + (1.0 / 3 * rsv);
            d = (2.0 / 3 * d) + (1.0 / 3 * k);
            AssertClose([k, d, (3 * k) - (2 * d)], kdj.Latest);
        }
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<double> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9 * Math.Max(1, Math.Abs(expected[i])), $"output {i}: {actual[i]:R} != {expected[i]:R}");
        }
    }
}
