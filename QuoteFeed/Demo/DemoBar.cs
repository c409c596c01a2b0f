namespace Realtime.QuoteFeed.Demo;

/// <summary>One bar of history; <see cref="Time"/> is its open in unix milliseconds.</summary>
internal sealed record DemoBar(long Time, double Open, double High, double Low, double Close, long Volume)
{
    /// <summary>The protocol's bar: <c>[time, open, high, low, close, volume]</c>.</summary>
    public object[] ToWire() => [Time, Open, High, Low, Close, Volume];
}
