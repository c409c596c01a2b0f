using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Realtime.Quotes;

/// <summary>
/// The quote centre of one symbol. Quotes are applied in order and idempotently (an older quote, or an exact
/// repeat at the latest time, changes nothing), so a message the queue delivers twice is harmless. Bars are saved
/// to Redis and the change is published on the symbol's stream before the batch is acknowledged.
/// </summary>
internal sealed class QuoteCentreGrain(QuoteHistoryStore store, QuoteMetrics metrics, TimeProvider clock, ILogger<QuoteCentreGrain> logger) : Grain, IQuoteCentreGrain
{
    private readonly Dictionary<string, BarSeries> _series = ChartPeriod.All.ToDictionary(p => p, p => new BarSeries(p));
    private readonly HashSet<(double Price, double Volume)> _atLatestTime = [];
    private Quote? _latest;
    private IAsyncStream<QuoteTick> _stream = null!;

    private string Symbol => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stream = this.GetStreamProvider(StreamNames.Provider).GetStream<QuoteTick>(StreamId.Create(StreamNames.QuoteNamespace, Symbol));
        var (bars, latest) = await store.Load(Symbol);
        foreach (var (period, list) in bars)
        {
            _series[period].Merge(list);
        }
        _latest = latest;
        if (latest is not null)
        {
            _atLatestTime.Add((latest.Price, latest.Volume));
        }
    }

    public async Task<int> Publish(ImmutableArray<Quote> quotes)
    {
        var changed = new Dictionary<(string Period, long Time), Bar>();
        var evicted = new List<(string Period, long Time)>();
        var applied = 0;
        foreach (var quote in quotes)
        {
            if (!IsNew(quote))
            {
                continue;
            }
            applied++;
            _latest = quote;
            foreach (var series in _series.Values)
            {
                var (bar, dropped) = series.Apply(quote);
                changed[(series.Period, bar.Time)] = bar;
                if (dropped is { } time)
                {
                    evicted.Add((series.Period, time));
                }
            }
        }
        if (applied == 0)
        {
            return 0;
        }
        metrics.Applied.Add(applied);

        var bars = changed.Select(c => new PeriodBar(c.Key.Period, c.Value)).OrderBy(b => b.Bar.Time).ToImmutableArray();
        // Saved and published at once: the batch is acknowledged only when both are done, and a chart that hears
        // of a tick before it is saved loses nothing (a restart would replay the unacknowledged batch).
        await Task.WhenAll(
            store.Save(Symbol, bars, evicted, _latest),
            _stream.OnNextAsync(new QuoteTick(Symbol, _latest, bars, PublishedAt: clock.GetUtcNow().ToUnixTimeMilliseconds())));
        return applied;
    }

    public async Task Backfill(string period, ImmutableArray<Bar> bars)
    {
        _series[period].Merge(bars);
        await store.Replace(Symbol, period, _series[period].Bars);
        // Longer periods are rebuilt from the shorter one, so a 1m backfill also gives 5m, 1h, ... history.
        var length = ChartPeriod.LengthMs(period);
        foreach (var longer in ChartPeriod.All.Where(p => ChartPeriod.LengthMs(p) > length && ChartPeriod.LengthMs(p) % length == 0))
        {
            _series[longer].Merge(Aggregate(bars, longer));
            await store.Replace(Symbol, longer, _series[longer].Bars);
        }
        logger.LogInformation("Backfilled {Count} {Period} bars of {Symbol}", bars.Length, period, Symbol);
        await _stream.OnNextAsync(new QuoteTick(Symbol, _latest, [], HistoryReplaced: true, PublishedAt: clock.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    public Task<ImmutableArray<Bar>> GetBars(string period, int count) =>
        Task.FromResult(_series[period].Newest(count).ToImmutableArray());

    public Task<Quote?> GetLatest() => Task.FromResult(_latest);

    public Task<bool> Exists() => Task.FromResult(_latest is not null || _series.Values.Any(s => s.Count > 0));

    private bool IsNew(Quote quote)
    {
        var latestTime = _latest?.Time ?? long.MinValue;
        if (quote.Time < latestTime)
        {
            return false;
        }
        if (quote.Time > latestTime)
        {
            _atLatestTime.Clear();
        }
        return _atLatestTime.Add((quote.Price, quote.Volume));
    }

    private static IEnumerable<Bar> Aggregate(IEnumerable<Bar> bars, string period) =>
        bars.OrderBy(b => b.Time)
            .GroupBy(b => ChartPeriod.BarOpen(period, b.Time))
            .Select(g => new Bar(g.Key, g.First().Open, g.Max(b => b.High), g.Min(b => b.Low), g.Last().Close, g.Sum(b => b.Volume)));
}
