using System.Globalization;

namespace Realtime.Bench.Measurement;

/// <summary>
/// Where a quote's time goes inside our server, from the silo's own histograms (README's metrics table): the
/// mean age of a quote when the pump's handler reads it, and when its chart update leaves the chart grain. Both are
/// measured from the quote's <c>time</c>, which the generator sets to the moment of its LPUSH (milliseconds, so
/// each mean is good to a few tenths of a millisecond over thousands of quotes).
/// </summary>
public sealed class LatencyStages(Uri metrics)
{
    private const string PumpLag = "realtime_service_pump_lag_milliseconds";
    private const string ChartLatency = "realtime_quote_latency_milliseconds";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private Snapshot? _opened;
    private Snapshot? _closed;

    public async Task Open() => _opened = await Read();

    public async Task Close() => _closed = await Read();

    /// <summary>Mean milliseconds from LPUSH to the pump's handler, and to the chart update leaving the chart grain.</summary>
    public (double ToPump, double ToChartUpdate)? Means() =>
        _opened is { } a && _closed is { } b ? (Mean(a.Pump, b.Pump), Mean(a.Chart, b.Chart)) : null;

    private static double Mean((double Sum, double Count) before, (double Sum, double Count) after) =>
        after.Count > before.Count ? (after.Sum - before.Sum) / (after.Count - before.Count) : double.NaN;

    private async Task<Snapshot?> Read()
    {
        try
        {
            var text = await Http.GetStringAsync(metrics);
            return new Snapshot(Histogram(text, PumpLag), Histogram(text, ChartLatency));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static (double Sum, double Count) Histogram(string text, string name) => (Value(text, name + "_sum"), Value(text, name + "_count"));

    private static double Value(string text, string series)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(series) && line.Length > series.Length && line[series.Length] is '{' or ' ')
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    private sealed record Snapshot((double Sum, double Count) Pump, (double Sum, double Count) Chart);
}
