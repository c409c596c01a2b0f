using System.Globalization;
using Realtime.Quotes;
using Realtime.Quotes.Analysis;

namespace Realtime.QuoteFeed.Indicators;

/// <summary>
/// Writes indicator values in the reference vectors' layout: header <c>indicator,output,index,value</c>, rows grouped
/// by indicator (in the given order), then output, then bar index, values with 12 decimals.
/// </summary>
internal static class IndicatorRows
{
    public static void Write(TextWriter output, IReadOnlyList<Bar> bars, IndicatorSet set)
    {
        var indicators = set.Indicators;
        // rows[indicator][output] collects "index,value" lines as the bars stream through.
        var rows = indicators.Select(i => i.Outputs.Select(_ => new List<string>()).ToArray()).ToArray();
        for (var index = 0; index < bars.Count; index++)
        {
            set.Append(bars[index]);
            for (var i = 0; i < indicators.Count; i++)
            {
                var values = indicators[i].Latest;
                for (var o = 0; o < values.Length; o++)
                {
                    rows[i][o].Add(string.Create(CultureInfo.InvariantCulture, $"{index},{values[o]:F12}"));
                }
            }
        }
        output.WriteLine("indicator,output,index,value");
        for (var i = 0; i < indicators.Count; i++)
        {
            for (var o = 0; o < indicators[i].Outputs.Count; o++)
            {
                var prefix = $"{indicators[i].Name},{indicators[i].Outputs[o]},";
                foreach (var row in rows[i][o])
                {
                    output.WriteLine(prefix + row);
                }
            }
        }
    }
}
