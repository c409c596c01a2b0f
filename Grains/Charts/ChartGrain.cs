using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Realtime.Hosting;
using Realtime.Connections;
using Realtime.Quotes;
using Realtime.Topics;

namespace Realtime.Charts;

/// <summary>
/// The quote listener of one distinct chart. Its symbol's quote centre pushes it every tick; it folds each tick into its
/// bars and indicators once, and sends the resulting update once per gateway that has viewers.
/// </summary>
/// <remarks>
/// <para>Exact by construction: ticks are numbered by the quote centre, and a tick that is not the next one (one was
/// lost in flight, or the centre is a new incarnation) makes the chart reload its bars from the centre and send every
/// bar that differs before anything else. A chart that has heard nothing for <see cref="GapCheck"/> asks the centre
/// where it stands, so a tick lost at the end of a burst is repaired too; the longer it stays quiet (and in step with
/// the centre) the less often it asks (up to every <see cref="LongestGapCheck"/>), while a chart that found itself
/// behind asks again after <see cref="GapCheck"/> (and listens again), so it follows the centre even while ticks
/// cannot reach it.</para>
/// <para>Bars close on the clock: when the forming bar's period (and the grace of <see cref="BarCloseOptions"/>) is
/// over, a timer sends it marked final, quote or no quote. A quote that later changes a bar sent as final, or a repair
/// that does, goes out as a revision. The chart owns this rather than the quote centre because finality is about what
/// its viewers were sent, and the clock alone decides it again after an activation.</para>
/// <para>Viewers are the subscribers of the chart's topic (<see cref="TopicChannel"/>): numbered updates once per
/// gateway, snapshots, resume, and recovery when this grain moves to another silo.</para>
/// </remarks>
[GrainType("chart")]
[SymbolPlacement]
internal sealed class ChartGrain(
    [PersistentState(TopicGatewaysState.Name, SiloHostingExtensions.StateStore)] IPersistentState<TopicGatewaysState> saved,
    QuoteMetrics metrics,
    BarClock bars,
    TimeProvider clock,
    ILogger<ChartGrain> logger) : Grain, IChartGrain, IQuoteListener
{
    internal static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan GapCheck = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan LongestGapCheck = TimeSpan.FromSeconds(30);

    private TopicChannel _channel = null!;
    private ChartSpec? _spec;
    private ChartComputation? _chart;
    private QuoteSubscription? _quotes;
    private long _updatesComputed;
    // Where this chart's copy stands in the quote centre's numbered ticks.
    private (string Incarnation, long Seq) _source;
    private DateTimeOffset _nextGapCheck;
    private TimeSpan _quietFor = GapCheck;
    // One one-shot timer, moved to the forming bar's close whenever a new bar opens: not a cost per tick.
    private IGrainTimer? _closeTimer;
    private long _closeTimerFor = long.MinValue;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Gateways name a topic by the grain that publishes it, and restate its subscribers to that grain.
        _channel = new TopicChannel(this.GetGrainId().ToString(), saved, CurrentSnapshot, logger);
        if (!ChartSpec.TryParseKey(this.GetPrimaryKeyString(), out _spec))
        {
            return;
        }
        await Load();
        if (_chart is not null)
        {
            // Moved here from a silo that died: the viewers it had are still out there, on an older epoch.
            _channel.RestoreSubscribers();
        }
        this.RegisterGrainTimer(StopWhenUnwatched, IdleCheck, IdleCheck);
        this.RegisterGrainTimer(CheckForGaps, GapCheck, GapCheck);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Not while the silo shuts down: the quote centre may be deactivating too and cannot take the call, and a
        // listener left behind costs only a tick that re-activates it, after which it stops listening once unwatched.
        if (_quotes is not null && _channel.GatewayCount == 0 && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await _quotes.Stop();
        }
    }

    public async Task<OpenOutcome> Open(ChartOpenRequest request)
    {
        if (_chart is null)
        {
            await Load();
            if (_chart is null)
            {
                DeactivateOnIdle();
                return OpenOutcome.NotFound;
            }
        }
        if (!request.Dynamic)
        {
            return await _channel.SendOnce(request.Viewer, ChartFrames.CreateSnapshot(_chart, _channel.Epoch, _channel.Seq, false, request.Count, request.ChartId, request.IdJson));
        }
        ImmutableArray<ServerFrame> frames = request.Resume is { } resume && _channel.TryCatchUp(resume.Epoch, resume.Seq, out var missed)
            ? [ChartFrames.CreateResumed(_chart.Spec, request.ChartId, _channel.Epoch, resume.Seq, request.IdJson), .. missed]
            : [ChartFrames.CreateSnapshot(_chart, _channel.Epoch, _channel.Seq, true, request.Count, request.ChartId, request.IdJson)];
        return await _channel.Subscribe(request.Viewer, frames, request.MaxRate);
    }

    public Task Close(string gatewayId, string instanceId) => _channel.Unsubscribe(gatewayId, instanceId);

    public Task Refresh(string gatewayId, IGatewayObserver gateway, ImmutableArray<string> instanceIds) =>
        _chart is null ? Task.CompletedTask : _channel.Refresh(gatewayId, gateway, instanceIds);

    public Task<ChartStats> GetStats() =>
        Task.FromResult(new ChartStats(_channel.Epoch, _channel.Seq, _channel.Subscribers, _channel.GatewayCount, _updatesComputed, RuntimeIdentity));

    private IQuoteCentreGrain Centre => GrainFactory.GetGrain<IQuoteCentreGrain>(_spec!.Symbol);

    private async Task Load()
    {
        if (!await Centre.Exists())
        {
            return;
        }
        _quotes ??= new QuoteSubscription(GrainFactory, this.AsReference<IQuoteListener>(), _spec!.Symbol);
        await _quotes.Start();
        // Subscribed before reading history: a tick that races the read carries a number the history already covers.
        var history = await Centre.GetHistory(_spec!.Period, QuoteRules.MaxHistoryBars);
        _chart = Compute(history.Bars);
        _source = (history.Incarnation, history.Seq);
        _channel.StartEpoch();
        ScheduleClose();
    }

    private ChartComputation Compute(IEnumerable<Bar> history)
    {
        var chart = new ChartComputation(_spec!, history);
        chart.MarkFinalThrough(bars.FinalThrough(_spec!.Period, chart.Bars));
        return chart;
    }

    public async Task OnTick(QuoteTick tick)
    {
        if (_chart is null)
        {
            return;
        }
        _quietFor = GapCheck;
        _nextGapCheck = clock.GetUtcNow() + GapCheck;
        if (tick.Incarnation == _source.Incarnation && tick.Seq <= _source.Seq)
        {
            return;
        }
        if (tick.HistoryReplaced)
        {
            await Load();
            _channel.PublishSnapshot();
            return;
        }
        if (tick.Incarnation != _source.Incarnation || tick.Seq != _source.Seq + 1)
        {
            metrics.ChartReloads.Add(1);
            logger.LogInformation("Chart {Chart} missed ticks ({Have} then {Got}); reloading from the quote centre", _chart.Spec.Key, _source, (tick.Incarnation, tick.Seq));
            await Reload();
            return;
        }
        _source = (tick.Incarnation, tick.Seq);
        var finalBefore = _chart.FinalThrough;
        var first = int.MaxValue;
        var revision = false;
        foreach (var bar in tick.Bars)
        {
            if (bar.Period != _chart.Spec.Period)
            {
                continue;
            }
            if (_chart.Bars.Count > 0 && bar.Bar.Time < _chart.Bars[^1].Time)
            {
                // A bar before the newest changed (quotes reached into backfilled history): recompute from the centre.
                var index = _chart.IndexOf(bar.Bar.Time);
                if (index < 0 || _chart.Bars[index] != bar.Bar)
                {
                    await Reload();
                    return;
                }
                continue;
            }
            if (_chart.Upsert(bar.Bar))
            {
                first = Math.Min(first, _chart.IndexOf(bar.Bar.Time));
                // A late quote: it landed in a bar viewers were told was final.
                revision |= bar.Bar.Time <= finalBefore;
            }
        }
        if (_chart.MarkFinalThrough(bars.FinalThrough(_chart.Spec.Period, _chart.Bars)))
        {
            // A new bar closed the one before it: that bar goes out marked final in the same update.
            first = Math.Min(first, _chart.IndexAfter(finalBefore));
        }
        ScheduleClose();
        if (first < _chart.Bars.Count)
        {
            SendUpdate(_chart.PointsFrom(first), revision);
            if (tick.Latest is { } latest)
            {
                metrics.Latency.Record(clock.GetUtcNow().ToUnixTimeMilliseconds() - latest.Time);
            }
        }
    }

    /// <summary>
    /// Makes this chart's copy equal the centre's again. Viewers get one update with every bar from the first that
    /// differs (indicators after it change too); when bars they hold are gone from the centre, a fresh snapshot.
    /// </summary>
    private async Task Reload()
    {
        var history = await Centre.GetHistory(_spec!.Period, QuoteRules.MaxHistoryBars);
        var fresh = Compute(history.Bars);
        var old = _chart!;
        _chart = fresh;
        _source = (history.Incarnation, history.Seq);
        var first = FirstDifference(old, fresh);
        if (first is null)
        {
            _channel.StartEpoch();
            _channel.PublishSnapshot();
        }
        else if (first < fresh.Bars.Count)
        {
            SendUpdate(fresh.PointsFrom(first.Value), fresh.Bars[first.Value].Time <= old.FinalThrough);
        }
        ScheduleClose();
    }

    /// <summary>
    /// The index in <paramref name="fresh"/> of the first bar <paramref name="old"/> lacks or holds otherwise, final or
    /// not (its
    /// count when none differs); null when <paramref name="old"/> holds a bar within <paramref name="fresh"/>'s span
    /// that <paramref name="fresh"/> does not, which an update cannot take away.
    /// </summary>
    private static int? FirstDifference(ChartComputation old, ChartComputation fresh)
    {
        var since = fresh.Bars.Count > 0 ? fresh.Bars[0].Time : long.MaxValue;
        if (old.Bars.Any(b => b.Time >= since && fresh.IndexOf(b.Time) < 0))
        {
            return null;
        }
        for (var i = 0; i < fresh.Bars.Count; i++)
        {
            var index = old.IndexOf(fresh.Bars[i].Time);
            if (index < 0 || old.Bars[index] != fresh.Bars[i] || old.IsFinal(index) != fresh.IsFinal(i))
            {
                return i;
            }
        }
        return fresh.Bars.Count;
    }

    private void SendUpdate(ImmutableArray<ChartPoint> points, bool revision)
    {
        _updatesComputed++;
        metrics.ChartUpdates.Add(1);
        _channel.Publish((epoch, seq) => ChartFrames.CreateUpdate(_chart!.Spec, epoch, seq, points, revision));
    }

    /// <summary>
    /// Sets the close timer for the forming bar, unless it is set for that bar already or no bar is forming. The timer
    /// does not keep the grain active (grain timers don't by default): an unwatched chart still deactivates
    /// (<see cref="StopWhenUnwatched"/>), and its next activation reads finality from the clock.
    /// </summary>
    private void ScheduleClose()
    {
        if (_chart is null || _chart.Bars.Count == 0 || _chart.IsFinal(_chart.Bars.Count - 1))
        {
            return;
        }
        var forming = _chart.Bars[^1].Time;
        if (forming == _closeTimerFor)
        {
            return;
        }
        _closeTimerFor = forming;
        var due = bars.Until(bars.ClosesAt(_chart.Spec.Period, forming));
        if (_closeTimer is null)
        {
            _closeTimer = this.RegisterGrainTimer(CloseFormingBar, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _closeTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The forming bar's period is over and no quote closed it: viewers get it marked final.</summary>
    private Task CloseFormingBar()
    {
        if (_chart is null)
        {
            return Task.CompletedTask;
        }
        var finalBefore = _chart.FinalThrough;
        if (_chart.MarkFinalThrough(bars.FinalThrough(_chart.Spec.Period, _chart.Bars)))
        {
            SendUpdate(_chart.PointsFrom(_chart.IndexAfter(finalBefore)), false);
        }
        else
        {
            // Woke before the close (a clock step): set the timer again.
            _closeTimerFor = long.MinValue;
            ScheduleClose();
        }
        return Task.CompletedTask;
    }

    private ServerFrame? CurrentSnapshot() =>
        _chart is null ? null : ChartFrames.CreateSnapshot(_chart, _channel.Epoch, _channel.Seq, true, QuoteRules.MaxHistoryBars, null, null);

    /// <summary>A quiet chart may have missed the last ticks of a burst: it asks the centre where it stands.</summary>
    private async Task CheckForGaps()
    {
        if (_chart is null || _channel.GatewayCount == 0 || clock.GetUtcNow() < _nextGapCheck)
        {
            return;
        }
        _quietFor = TimeSpan.FromTicks(Math.Min(_quietFor.Ticks * 2, LongestGapCheck.Ticks));
        _nextGapCheck = clock.GetUtcNow() + _quietFor;
        var position = await Centre.GetPosition();
        if (position != _source && !(position.Incarnation == _source.Incarnation && position.Seq < _source.Seq))
        {
            metrics.ChartReloads.Add(1);
            logger.LogInformation("Chart {Chart} is behind its quote centre ({Have} against {Centre}); reloading", _chart.Spec.Key, _source, position);
            // Listening again first: a centre that lost its saved listeners pushes here from now on.
            await _quotes!.Start();
            await Reload();
            // Ticks are not reaching this chart: ask again soon, not later and later.
            _quietFor = GapCheck;
            _nextGapCheck = clock.GetUtcNow() + GapCheck;
        }
    }

    private async Task StopWhenUnwatched()
    {
        if (_channel.GatewayCount == 0)
        {
            if (_quotes is not null)
            {
                await _quotes.Stop();
            }
            DeactivateOnIdle();
        }
    }
}
