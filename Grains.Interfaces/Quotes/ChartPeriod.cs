using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Realtime.Quotes;

/// <summary>The bar periods the server aggregates; a bar opens on a UTC multiple of its period.</summary>
public static class ChartPeriod
{
    private static readonly FrozenDictionary<string, long> Lengths = new Dictionary<string, long>
    {
        ["1m"] = 60_000,
        ["5m"] = 5 * 60_000,
        ["15m"] = 15 * 60_000,
        ["30m"] = 30 * 60_000,
        ["1h"] = 60 * 60_000,
        ["4h"] = 4 * 60 * 60_000,
        ["1d"] = 24 * 60 * 60_000,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every supported period, shortest first.</summary>
    public static IReadOnlyList<string> All { get; } = ["1m", "5m", "15m", "30m", "1h", "4h", "1d"];

    public static bool IsSupported([NotNullWhen(true)] string? period) => period is not null && Lengths.ContainsKey(period);

    public static long LengthMs(string period) => Lengths[period];

    /// <summary>The open time of the bar of <paramref name="period"/> that <paramref name="timeMs"/> falls in.</summary>
    public static long BarOpen(string period, long timeMs)
    {
        var length = Lengths[period];
        return timeMs - (((timeMs % length) + length) % length);
    }
}
