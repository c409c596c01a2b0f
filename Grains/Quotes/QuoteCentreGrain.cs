using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Hosting;

namespace Realtime.Quotes;

/// <summary>
/// The quote centre of one symbol. Quotes are applied in order and idempotently (an older quote, or an exact
/// repeat at the latest time, changes nothing), so a message the queue delivers twice is harmless. Bars are saved
/// to Redis before the batch is acknowledged; the change is pushed to the centre's listeners first, so the save is not
/// on a quote's way to the browser (a listener that hears of a tick that is then not saved is told to reload by the
/// next activation's new incarnation, and the unacknowledged batch is replayed). Backfilled history
/// never takes volume away from bars that quotes have built (see <see cref="BarSeries.Merge"/>). Each tick published
/// carries this activation's incarnation and a number one higher than the last, so listeners can tell a lost tick
/// from none (see <see cref="QuoteTick"/>). Each period keeps the bars <see cref="QuoteHistoryOptions"/> says.
/// </summary>
[GrainType("quotecentre")]
[SymbolPlacement]
internal sealed class QuoteCentreGrain(
    [PersistentState(QuoteListenersState.Name, SiloHostingExtensions.StateStore)] IPersistentState<QuoteListenersState> saved,
    QuoteHistoryStore store,
    QuoteMetrics metrics,
    TimeProvider clock,
    IOptions<QuoteHistoryOptions> history,
    ILogger<QuoteCentreGrain> logger) : Grain, IQuoteCentreGrain
{
    private readonly Dictionary<string, BarSeries> _series = ChartPeriod.All.ToDictionary(p => p, p => new BarSeries(p, history.Value.For(p)));
    private readonly HashSet<(double Price, double Volume)> _atLatestTime = [];
    private Quote? _latest;
    // The time of the first quote ever applied: bars from its bar on are live, built by quotes, not by backfills.
    private long? _liveSince;
    private bool _liveSinceSaved;
    private List<IQuoteListener> _listeners = [];
    private readonly string _incarnation = Guid.NewGuid().ToString("N")[..12];
    private long _seq;

    private string Symbol => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _listeners = [.. saved.State.Listeners.Select(GrainFactory.GetGrain<IQuoteListener>)];
        var (bars, latest, liveSince) = await store.Load(Symbol);
        foreach (var (period, list) in bars)
        {
            _series[period].Merge(list);
            // Kept under a larger setting before: the bars beyond this one's go from Redis too, or they would linger
            // there, unseen, and come back as an island of old history should the setting grow again.
            if (list.Count > _series[period].Count)
            {
                await store.Forget(Symbol, period, list.Take(list.Count - _series[period].Count).Select(b => b.Time));
            }
        }
        _latest = latest;
        _liveSince = liveSince;
        _liveSinceSaved = liveSince is not null;
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
            _liveSince ??= quote.Time;
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
            if (_seq == 0)
            {
                // A fresh activation meeting quotes it already holds: a retry of a batch that was saved but perhaps never
                // published. One tick of the new incarnation makes every listener reload what was saved.
                Push(Tick([]));
            }
            return 0;
        }
        metrics.Applied.Add(applied);

        var bars = changed.Select(c => new PeriodBar(c.Key.Period, c.Value)).OrderBy(b => b.Bar.Time).ToImmutableArray();
        // Pushed before it is saved: the batch is acknowledged only once saved, and a chart that hears of a tick
        // that is then lost with this activation reloads (a restart replays the unacknowledged batch).
        Push(Tick(bars));
        await WithFreshStateOnFailure(store.Save(Symbol, bars, evicted, _latest, _liveSinceSaved ? null : _liveSince));
        _liveSinceSaved = _liveSince is not null;
        return applied;
    }

    public async Task Backfill(string period, ImmutableArray<Bar> bars)
    {
        var series = _series[period];
        series.Merge(bars, LiveFrom(period));
        await WithFreshStateOnFailure(store.Replace(Symbol, period, series.Bars));
        // Longer periods are rebuilt from the shorter one, so a 1m backfill also gives 5m, 1h, ... history.
        var length = ChartPeriod.LengthMs(period);
        foreach (var longer in ChartPeriod.All.Where(p => ChartPeriod.LengthMs(p) > length && ChartPeriod.LengthMs(p) % length == 0))
        {
            var rebuilt = Rebuild(series, bars, longer).ToList();
            _series[longer].Merge(rebuilt.Where(r => r.Exact).Select(r => r.Bar));
            _series[longer].Merge(rebuilt.Where(r => !r.Exact).Select(r => r.Bar), LiveFrom(longer));
            await WithFreshStateOnFailure(store.Replace(Symbol, longer, _series[longer].Bars));
        }
        logger.LogInformation("Backfilled {Count} {Period} bars of {Symbol}", bars.Length, period, Symbol);
        Push(Tick([]) with { HistoryReplaced = true });
    }

    public async Task Listen(IQuoteListener listener)
    {
        if (saved.State.Listeners.Add(listener.GetGrainId()))
        {
            _listeners.Add(listener);
            await SaveListeners();
        }
    }

    public async Task Unlisten(IQuoteListener listener)
    {
        var id = listener.GetGrainId();
        if (saved.State.Listeners.Remove(id))
        {
            _listeners.RemoveAll(l => l.GetGrainId() == id);
            await SaveListeners();
        }
    }

    public Task<ImmutableArray<Bar>> GetBars(string period, int count) =>
        Task.FromResult(_series[period].Newest(count).ToImmutableArray());

    public Task<QuoteHistory> GetHistory(string period, int count) =>
        Task.FromResult(new QuoteHistory([.. _series[period].Newest(count)], _incarnation, _seq));

    public Task<QuoteHistoryPage?> GetPage(string period, long from, long before, int count)
    {
        if (_latest is null && _series.Values.All(s => s.Count == 0))
        {
            return Task.FromResult<QuoteHistoryPage?>(null);
        }
        var (bars, older) = _series[period].Page(from, before, count);
        return Task.FromResult<QuoteHistoryPage?>(new QuoteHistoryPage([.. bars], older));
    }

    public Task<(string Incarnation, long Seq)> GetPosition() => Task.FromResult((_incarnation, _seq));

    public Task<Quote?> GetLatest() => Task.FromResult(_latest);

    public Task<bool> Exists() => Task.FromResult(_latest is not null || _series.Values.Any(s => s.Count > 0));

    /// <summary>One one-way call per listener; none is awaited, so a slow or dead listener delays no other.</summary>
    private void Push(QuoteTick tick)
    {
        foreach (var listener in _listeners)
        {
            listener.OnTick(tick).Ignore();
        }
    }

    /// <summary>
    /// A failed write is not the caller's failure: the listener is served by this activation either way, and the
    /// next change (or its own <see cref="Listen"/> after a reload) writes the set again.
    /// </summary>
    private async Task SaveListeners()
    {
        try
        {
            await saved.WriteStateAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Quote centre {Symbol} could not save its listeners", Symbol);
        }
    }

    /// <summary>The next tick of this incarnation.</summary>
    private QuoteTick Tick(ImmutableArray<PeriodBar> bars) =>
        new(Symbol, _latest, bars, PublishedAt: clock.GetUtcNow().ToUnixTimeMilliseconds(), Incarnation: _incarnation, Seq: ++_seq);

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

    private long LiveFrom(string period) => _liveSince is { } time ? ChartPeriod.BarOpen(period, time) : long.MaxValue;

    /// <summary>
    /// The bars of <paramref name="longer"/> that a backfill of <paramref name="shorter"/> touches. A longer bar whose
    /// whole span the shorter series holds is summed from it, live quotes and history together, and is exact; an older
    /// one (the shorter series is capped) is summed from the backfilled bars alone, and may lack live volume.
    /// </summary>
    private static IEnumerable<(Bar Bar, bool Exact)> Rebuild(BarSeries shorter, IEnumerable<Bar> backfilled, string longer)
    {
        var length = ChartPeriod.LengthMs(longer);
        foreach (var window in backfilled.GroupBy(b => ChartPeriod.BarOpen(longer, b.Time)))
        {
            var covered = shorter.Count > 0 && shorter[0].Time <= window.Key;
            var parts = covered ? shorter.Between(window.Key, window.Key + length).ToList() : [.. window.OrderBy(b => b.Time)];
            if (parts.Count > 0)
            {
                yield return (new Bar(window.Key, parts[0].Open, parts.Max(b => b.High), parts.Min(b => b.Low), parts[^1].Close, parts.Sum(b => b.Volume)), covered);
            }
        }
    }

    /// <summary>
    /// A failed write leaves this activation ahead of Redis, and the retried batch would find nothing new to save;
    /// deactivating makes the retry meet an activation loaded from what Redis really holds.
    /// </summary>
    private async Task WithFreshStateOnFailure(Task write)
    {
        try
        {
            await write;
        }
        catch
        {
            this.DeactivateOnIdle();
            throw;
        }
    }
}
