namespace Realtime.Topics;

/// <summary>
/// <c>maxRate</c>, the updates per second a client asks for on one subscription (a chart, a watchlist): a phone on a
/// slow link asks for 1. The gateway enforces it by folding updates together, so any rate in range is exact.
/// </summary>
public static class SubscriptionRate
{
    /// <summary>Once every ten seconds: slower than that, a client should poll a static snapshot instead.</summary>
    public const double Min = 0.1;

    /// <summary>Faster than this is what a subscription without <c>maxRate</c> gets anyway.</summary>
    public const double Max = 100;

    /// <summary>Whether <paramref name="requested"/> (null: not given) is a rate a subscription may ask for.</summary>
    public static bool IsValid(double? requested) => requested is null or (>= Min and <= Max);

    public static string Error => $"'maxRate' must be a number of updates per second from {Min} to {Max}.";
}
