using System.Globalization;
using Realtime.Quotes;

namespace Realtime.QuoteFeed.Indicators;

/// <summary>Reads <c>time,open,high,low,close,volume</c> CSV (time in unix seconds, as the reference files have it).</summary>
internal static class OhlcvCsv
{
    private const string Header = "time,open,high,low,close,volume";

    public static bool TryRead(TextReader reader, string sourceName, out List<Bar> bars, out string? error)
    {
        bars = [];
        error = null;
        var lineNumber = 0;
        var sawHeader = false;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (!sawHeader)
            {
                if (!string.Equals(line.Replace(" ", ""), Header, StringComparison.OrdinalIgnoreCase))
                {
                    error = $"{sourceName}:{lineNumber}: expected the header \"{Header}\"";
                    return false;
                }
                sawHeader = true;
                continue;
            }
            var rowError = TryParseRow(line, out var bar);
            if (rowError is null && bars.Count > 0 && bar.Time <= bars[^1].Time)
            {
                rowError = "time must increase from one bar to the next";
            }
            if (rowError is not null)
            {
                error = $"{sourceName}:{lineNumber}: {rowError}";
                return false;
            }
            bars.Add(bar);
        }
        if (!sawHeader)
        {
            error = $"{sourceName}: empty; expected the header \"{Header}\"";
            return false;
        }
        return true;
    }

    private static string? TryParseRow(string line, out Bar bar)
    {
        bar = default;
        var fields = line.Split(',');
        if (fields.Length != 6)
        {
            return $"expected 6 fields, got {fields.Length}";
        }
        if (!long.TryParse(fields[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > long.MaxValue / 1000)
        {
            return $"time \"{fields[0]}\" is not unix seconds";
        }
        var numbers = new double[5];
        for (var i = 1; i < 6; i++)
        {
            if (!double.TryParse(fields[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i - 1])
                || !double.IsFinite(numbers[i - 1]))
            {
                return $"\"{fields[i]}\" is not a number";
            }
        }
        if (numbers[4] < 0)
        {
            return "volume cannot be negative";
        }
        bar = new Bar(seconds * 1000, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
        return null;
    }
}
