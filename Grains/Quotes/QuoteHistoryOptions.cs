using System.ComponentModel.DataAnnotations;

namespace Realtime.Quotes;

/// <summary>
/// Configuration section <c>Quotes</c> (silo): how many bars of each period a quote centre keeps, in memory and in
/// Redis. The oldest bar is dropped when a new one opens beyond it. Charts compute over their period's newest
/// <see cref="QuoteRules.MaxHistoryBars"/> bars whatever is kept; what is kept beyond that is reached by history
/// paging (<c>chart.history</c>, <c>/udf/history</c>).
/// </summary>
public sealed class QuoteHistoryOptions : IValidatableObject
{
    public const string Section = "Quotes";

    public const int DefaultHistoryBars = 1000;

    public const int MinHistoryBars = 10;

    /// <summary>
    /// A symbol costs about 48 bytes of silo memory and a Redis hash field per bar of each of the seven periods, and an
    /// activating quote centre reads them all: 100,000 bars of one period are about 5 MB per symbol.
    /// </summary>
    public const int MaxHistoryBarsSetting = QuoteRules.MaxKeptBars;

    /// <summary>Bars kept per symbol and period, unless <see cref="HistoryBarsByPeriod"/> names the period.</summary>
    [Range(MinHistoryBars, MaxHistoryBarsSetting, ErrorMessage = "Quotes:HistoryBars must be {1}..{2}")]
    public int HistoryBars { get; set; } = DefaultHistoryBars;

    /// <summary>
    /// Bars kept for particular periods (<c>Quotes:HistoryBarsByPeriod:1m=20000</c>): short periods often want more
    /// history than long ones.
    /// </summary>
    public Dictionary<string, int> HistoryBarsByPeriod { get; set; } = [];

    /// <summary>The bars kept for <paramref name="period"/>.</summary>
    public int For(string period) => HistoryBarsByPeriod.TryGetValue(period, out var bars) ? bars : HistoryBars;

    /// <summary>Each per-period setting must name a period and be in range; the message names the key.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (period, bars) in HistoryBarsByPeriod)
        {
            if (!ChartPeriod.IsSupported(period))
            {
                yield return new ValidationResult(
                    $"Quotes:HistoryBarsByPeriod:{period} names no period; the periods are {string.Join(", ", ChartPeriod.All)}",
                    [nameof(HistoryBarsByPeriod)]);
            }
            else if (bars is < MinHistoryBars or > MaxHistoryBarsSetting)
            {
                yield return new ValidationResult(
                    $"Quotes:HistoryBarsByPeriod:{period} must be {MinHistoryBars}..{MaxHistoryBarsSetting}", [nameof(HistoryBarsByPeriod)]);
            }
        }
    }
}
