using System.Diagnostics.CodeAnalysis;

namespace Realtime.Gateway.Udf;

/// <summary>TradingView's resolution strings for the server's chart periods (docs/protocol.md 1.9).</summary>
internal static class UdfResolution
{
    /// <summary>Every resolution served, as <c>/udf/config</c> lists them: minutes, and <c>1D</c> for a day.</summary>
    public static readonly string[] Supported = ["1", "5", "15", "30", "60", "240", "1D"];

    /// <summary>The intraday resolutions, in minutes, as a symbol lists them.</summary>
    public static readonly string[] IntradayMultipliers = ["1", "5", "15", "30", "60", "240"];

    private static readonly Dictionary<string, string> Periods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["1"] = "1m",
        ["5"] = "5m",
        ["15"] = "15m",
        ["30"] = "30m",
        ["60"] = "1h",
        ["240"] = "4h",
        ["1D"] = "1d",
        ["D"] = "1d",
    };

    /// <summary>The chart period of a resolution (<c>60</c> → <c>1h</c>, <c>D</c> or <c>1D</c> → <c>1d</c>).</summary>
    public static bool TryGetPeriod(string? resolution, [NotNullWhen(true)] out string? period) =>
        Periods.TryGetValue(resolution ?? "", out period);
}
