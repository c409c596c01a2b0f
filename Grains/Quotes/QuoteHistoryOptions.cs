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

    /// <summary>
    /// Replicas that must hold a quote centre's write before the batch that caused it is acknowledged (Redis
    /// <c>WAIT</c>); 0, the default, acknowledges once the master has it. Redis replicates asynchronously: a master that
    /// dies before its replica copied a write leaves the centre ahead of what the promoted replica holds, and a centre
    /// that later reloads from it misses those quotes. Waiting closes that window for what the centre writes, at the
    /// cost of one replication round trip per batch on the silo's shared connection (README, failure table).
    /// </summary>
    [Range(0, 16, ErrorMessage = "Quotes:WaitForReplicas must be {1}..{2}")]
    public int WaitForReplicas { get; set; }

    /// <summary>
    /// The longest <see cref="WaitForReplicas"/> waits; a batch is acknowledged after it whatever the replicas did
    /// (availability before durability: a replica that is down must not stop the quotes), and counted in
    /// <c>realtime_quotes_unreplicated_total</c>.
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "Quotes:WaitForReplicasMilliseconds must be {1}..{2}")]
    public int WaitForReplicasMilliseconds { get; set; } = 100;

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
