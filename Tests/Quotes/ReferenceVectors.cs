using System.Globalization;
using Realtime.Quotes;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Quotes;

/// <summary>
/// The TA-Lib reference vectors in Tests/Fixtures/indicators: the bar series and the values TA-Lib computed on it.
/// </summary>
public static class ReferenceVectors
{
    /// <summary>The indicators in the reference file, in its order.</summary>
    public static readonly string[] Names =
    [
        "SMA(close,5)", "SMA(close,20)", "EMA(close,12)", "EMA(close,26)", "MACD(close,12,26,9)",
        "RSI(close,14)", "BBANDS(close,20,2)", "STOCH(9,3,3)", "ATR(14)", "OBV",
    ];

    private static readonly Lazy<IReadOnlyList<Bar>> LazyBars = new(() => LoadBars(BarsPath));
    private static readonly Lazy<Dictionary<string, Dictionary<string, Dictionary<int, double>>>> LazyExpected =
        new(() => LoadExpected(ExpectedPath));

    public static string BarsPath => RepositoryPaths.Fixture("indicators/series-a.ohlcv.csv");

    public static string ExpectedPath => RepositoryPaths.Fixture("indicators/series-a.talib.csv");

    public static IReadOnlyList<Bar> Bars => LazyBars.Value;

    /// <summary>indicator → output → bar index → value.</summary>
    public static IReadOnlyDictionary<string, Dictionary<string, Dictionary<int, double>>> Expected => LazyExpected.Value;

    private static List<Bar> LoadBars(string path) =>
        File.ReadLines(path)
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(f => new Bar(
                long.Parse(f[0], CultureInfo.InvariantCulture) * 1000,
                Number(f[1]), Number(f[2]), Number(f[3]), Number(f[4]), Number(f[5])))
            .ToList();

    // Names like BBANDS(close,20,2) hold unquoted commas, so only the last three fields are split off.
    private static Dictionary<string, Dictionary<string, Dictionary<int, double>>> LoadExpected(string path)
    {
        var expected = new Dictionary<string, Dictionary<string, Dictionary<int, double>>>();
        foreach (var line in File.ReadLines(path).Skip(1).Where(line => line.Length > 0))
        {
            var fields = line.Split(',');
            var name = string.Join(",", fields[..^3]);
            var outputs = expected.TryGetValue(name, out var found) ? found : expected[name] = [];
            var values = outputs.TryGetValue(fields[^3], out var existing) ? existing : outputs[fields[^3]] = [];
            values.Add(int.Parse(fields[^2], CultureInfo.InvariantCulture), Number(fields[^1]));
        }
        return expected;
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
