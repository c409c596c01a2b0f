using Microsoft.Extensions.Options;
using Realtime.Quotes;

namespace Realtime.Charts;

/// <summary>
/// Tells which bars are final by the server's clock (<see cref="BarCloseOptions"/>): chart grains and history pages
/// ask it, so a chart that activates again learns finality from the clock and needs no reminder.
/// </summary>
public sealed class BarClock(TimeProvider clock, IOptions<BarCloseOptions> options)
{
    private readonly long _graceMs = options.Value.CloseGraceMilliseconds;

    /// <summary>When the bar of <paramref name="period"/> opening at <paramref name="barTime"/> closes by the clock.</summary>
    public DateTimeOffset ClosesAt(string period, long barTime) =>
        DateTimeOffset.FromUnixTimeMilliseconds(barTime + ChartPeriod.LengthMs(period) + _graceMs);

    public bool IsClosed(string period, long barTime) => clock.GetUtcNow() >= ClosesAt(period, barTime);

    /// <summary>How long from now until <paramref name="at"/>, never negative.</summary>
    public TimeSpan Until(DateTimeOffset at) => at - clock.GetUtcNow() is { Ticks: > 0 } wait ? wait : TimeSpan.Zero;

    /// <summary>
    /// The open time of the newest final bar of <paramref name="bars"/> (oldest first, the period's newest bars): every
    /// bar but the newest has a later one, and the newest is final once its period and the grace are over.
    /// <see cref="long.MinValue"/> when none is.
    /// </summary>
    public long FinalThrough(string period, IReadOnlyList<Bar> bars) =>
        bars.Count == 0 ? long.MinValue
        : IsClosed(period, bars[^1].Time) ? bars[^1].Time
        : bars.Count > 1 ? bars[^2].Time
        : long.MinValue;
}
