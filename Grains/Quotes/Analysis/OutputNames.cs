using System.Collections.ObjectModel;

namespace Realtime.Quotes.Analysis;

/// <summary>Output names shared by indicators, read-only so no caller can rename another indicator's outputs.</summary>
internal static class OutputNames
{
    public static ReadOnlyCollection<string> Value { get; } = Array.AsReadOnly(["value"]);

    public static ReadOnlyCollection<string> Macd { get; } = Array.AsReadOnly(["macd", "signal", "hist"]);

    public static ReadOnlyCollection<string> Bands { get; } = Array.AsReadOnly(["upper", "middle", "lower"]);

    public static ReadOnlyCollection<string> SlowStochastic { get; } = Array.AsReadOnly(["slowk", "slowd"]);

    public static ReadOnlyCollection<string> Kdj { get; } = Array.AsReadOnly(["k", "d", "j"]);
}
