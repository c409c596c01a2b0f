using Realtime.Quotes;
using Realtime.Quotes.Analysis;

namespace Realtime.QuoteFeed.Indicators;

/// <summary>
/// <c>indicators &lt;ohlcv.csv|-&gt; &lt;name&gt; [&lt;name&gt;...]</c>: computes indicators over a bar file and prints
/// <c>indicator,output,index,value</c> rows in the layout of the TA-Lib reference vectors
/// (Tests/Fixtures/indicators), so the output can be diffed against them.
/// </summary>
public static class IndicatorsCommand
{
    public const string Usage =
        "usage: indicators <ohlcv.csv|-> <name> [<name>...]\n" +
        "  csv header: time,open,high,low,close,volume (time in unix seconds); - reads stdin\n" +
        "  names: MA(n) SMA(n) EMA(n) MACD(fast,slow,signal) RSI(n) BOLL(n,k) STOCH(k,sk,sd) KDJ(n,m1,m2) ATR(n) OBV VWAP\n" +
        "         or TA-Lib's spelling, e.g. SMA(close,5) BBANDS(close,20,2)";

    /// <summary>Runs the command; returns 0 on success, 2 for bad arguments or input.</summary>
    /// <param name="args">What follows the word <c>indicators</c> (a leading <c>indicators</c> is skipped too).</param>
    /// <param name="stdin">Read when the file is <c>-</c>; null if there is no standard input.</param>
    public static int Run(string[] args, TextReader? stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0 && string.Equals(args[0], "indicators", StringComparison.OrdinalIgnoreCase))
        {
            args = args[1..];
        }
        if (args.Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine(Usage);
            return 0;
        }
        if (args.Length < 2)
        {
            stderr.WriteLine(args.Length == 0 ? "indicators: missing the csv file and indicator names" : "indicators: missing indicator names");
            stderr.WriteLine(Usage);
            return 2;
        }
        if (!IndicatorSet.TryCreate(args[1..], out var indicators, out var nameError))
        {
            stderr.WriteLine($"indicators: {nameError}");
            return 2;
        }
        if (!TryReadBars(args[0], stdin, out var bars, out var csvError))
        {
            stderr.WriteLine($"indicators: {csvError}");
            return 2;
        }
        IndicatorRows.Write(stdout, bars, indicators);
        return 0;
    }

    private static bool TryReadBars(string source, TextReader? stdin, out List<Bar> bars, out string? error)
    {
        bars = [];
        if (source == "-")
        {
            if (stdin is null)
            {
                error = "- means standard input, but there is none";
                return false;
            }
            return OhlcvCsv.TryRead(stdin, "stdin", out bars, out error);
        }
        try
        {
            using var reader = new StreamReader(source);
            return OhlcvCsv.TryRead(reader, source, out bars, out error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            error = $"cannot read {source}: {e.Message}";
            return false;
        }
    }
}
