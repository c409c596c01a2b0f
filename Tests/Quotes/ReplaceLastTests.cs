using Realtime.Quotes;
using Realtime.Quotes.Analysis;

namespace Realtime.Tests.Quotes;

/// <summary>
/// A live bar is appended at its first tick and replaced at every later one; the result must equal appending the
/// finished bar in the first place, for every indicator.
/// </summary>
public sealed class ReplaceLastTests
{
    // The reference indicators, the two TA-Lib lacks, and edge periods where a window holds only the latest bar.
    public static TheoryData<string> AllNames => new(ReferenceVectors.Names.Concat(
    [
        "KDJ(9,3,3)", "VWAP", "MACD(close,5,35,5)", "SMA(close,1)", "EMA(close,1)", "BBANDS(close,7,1.5)",
        "STOCH(1,1,1)", "ATR(1)", "RSI(close,2)", "KDJ(1,1,1)",
    ]));

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Ticking_bars_give_the_same_values_as_finished_bars(string name)
    {
        Assert.True(IndicatorParser.TryParse(name, out var definition, out var error), error);
        var finished = definition.Create();
        var ticking = definition.Create();
        var bars = ReferenceVectors.Bars;
        for (var index = 0; index < bars.Count; index++)
        {
            var bar = bars[index];
            finished.Append(bar);
            foreach (var (tick, i) in Ticks(bar).Select((t, i) => (t, i)))
            {
                if (i == 0)
                {
                    ticking.Append(tick);
                }
                else
                {
                    ticking.ReplaceLast(tick);
                }
            }
            Assert.True(
                finished.Latest.SequenceEqual(ticking.Latest),
                $"{name} at bar {index}: ticking gave [{string.Join(", ", ticking.Latest.ToArray())}], finished [{string.Join(", ", finished.Latest.ToArray())}]");
        }
    }

    [Theory]
    [MemberData(nameof(IndicatorReferenceTests.ReferenceNames), MemberType = typeof(IndicatorReferenceTests))]
    public void Ticking_bars_match_talib(string name)
    {
        var indicator = IndicatorReferenceTests.Create(name);
        var bars = ReferenceVectors.Bars;
        for (var index = 0; index < bars.Count; index++)
        {
            indicator.Append(Ticks(bars[index])[0]);
            indicator.ReplaceLast(bars[index]);
            IndicatorReferenceTests.AssertMatchesReference(indicator, index);
        }
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Replacing_before_any_append_is_refused(string name)
    {
        Assert.True(IndicatorParser.TryParse(name, out var definition, out var error), error);
        Assert.Throws<InvalidOperationException>(() => definition.Create().ReplaceLast(ReferenceVectors.Bars[0]));
    }

    /// <summary>How a bar builds up: a first trade at the open, a tick halfway to the close, then the finished bar.</summary>
    private static Bar[] Ticks(Bar bar)
    {
        var middle = (bar.Open + bar.Close) / 2;
        return
        [
            bar with { High = bar.Open, Low = bar.Open, Close = bar.Open, Volume = Math.Floor(bar.Volume / 4) },
            bar with { High = Math.Max(bar.Open, middle), Low = Math.Min(bar.Open, middle), Close = middle, Volume = Math.Floor(bar.Volume / 2) },
            bar,
        ];
    }
}
