using Realtime.Quotes.Analysis;

namespace Realtime.Tests.Quotes;

/// <summary>The monotonic deque behind STOCH and KDJ, against a plain scan, with replaces mixed in.</summary>
public sealed class RollingExtremeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(9)]
    [InlineData(20)]
    public void Agrees_with_scanning_the_window(int period)
    {
        var random = new Random(period);
        var highest = RollingExtreme.Highest(period);
        var lowest = RollingExtreme.Lowest(period);
        var values = new List<double>();
        for (var step = 0; step < 2000; step++)
        {
            // Few distinct values, so ties are common.
            var value = random.Next(10);
            var kind = values.Count > 0 && random.Next(3) == 0 ? UpdateKind.ReplaceLast : UpdateKind.Append;
            if (kind == UpdateKind.Append)
            {
                values.Add(value);
            }
            else
            {
                values[^1] = value;
            }
            var window = values.Skip(Math.Max(0, values.Count - period)).ToList();
            Assert.Equal(window.Max(), highest.Update(value, kind));
            Assert.Equal(window.Min(), lowest.Update(value, kind));
            Assert.Equal(values.Count >= period, highest.IsFull);
        }
    }
}
