using Realtime.Quotes.Analysis;

namespace Realtime.Tests.Quotes;

/// <summary>Every indicator TA-Lib defines must reproduce TA-Lib's reference values on every bar, incrementally.</summary>
public sealed class IndicatorReferenceTests
{
    public static TheoryData<string> ReferenceNames => new(ReferenceVectors.Names);

    [Fact]
    public void Reference_file_holds_exactly_the_indicators_under_test()
    {
        Assert.Equal(ReferenceVectors.Names.Order(), ReferenceVectors.Expected.Keys.Order());
        Assert.Equal(500, ReferenceVectors.Bars.Count);
    }

    [Theory]
    [MemberData(nameof(ReferenceNames))]
    public void Appending_bars_one_by_one_matches_talib(string name)
    {
        var indicator = Create(name);
        var bars = ReferenceVectors.Bars;
        for (var index = 0; index < bars.Count; index++)
        {
            indicator.Append(bars[index]);
            AssertMatchesReference(indicator, index);
        }
    }

    [Theory]
    [MemberData(nameof(ReferenceNames))]
    public void Lookback_is_talibs_first_index(string name)
    {
        Assert.True(IndicatorParser.TryParse(name, out var definition, out var error), error);
        var firstIndex = ReferenceVectors.Expected[name].Values.Min(values => values.Keys.Min());
        Assert.Equal(firstIndex, definition.Lookback);
    }

    internal static IIndicator Create(string name)
    {
        Assert.True(IndicatorParser.TryParse(name, out var definition, out var error), error);
        Assert.Equal(name, definition.Name);
        return definition.Create();
    }

    /// <summary>1e-9 relative, or absolute for values below 1 in magnitude (the reference has 12 decimals).</summary>
    internal static void AssertMatchesReference(IIndicator indicator, int index)
    {
        var expected = ReferenceVectors.Expected[indicator.Name];
        var latest = indicator.Latest;
        var hasReference = indicator.Outputs.Select(o => expected[o].ContainsKey(index)).Distinct().Single();
        if (!hasReference)
        {
            Assert.True(latest.IsEmpty, $"{indicator.Name} has a value at bar {index}, where TA-Lib has none");
            return;
        }
        Assert.True(latest.Length == indicator.Outputs.Count, $"{indicator.Name} has no value at bar {index}");
        for (var o = 0; o < latest.Length; o++)
        {
            var want = expected[indicator.Outputs[o]][index];
            var tolerance = 1e-9 * Math.Max(1.0, Math.Abs(want));
            Assert.True(
                Math.Abs(latest[o] - want) <= tolerance,
                $"{indicator.Name} {indicator.Outputs[o]} at bar {index}: got {latest[o]:R}, TA-Lib has {want:R}");
        }
    }
}
