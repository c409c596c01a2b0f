using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>
/// The quote listener of one distinct chart. It listens to its symbol's quote stream, folds each tick into its
/// bars and indicators once, and sends the resulting update once per gateway that has viewers. Viewers are kept in
/// memory; gateways restate them on a timer, so an activation that moved to another silo relearns them and sends
/// them a fresh snapshot (a new <c>epoch</c>).
/// </summary>
internal sealed class ChartGrain(QuoteMetrics metrics, TimeProvider clock, ILogger<ChartGrain> logger) : Grain, IChartGrain
{
    internal const int ResumableUpdates = 256;
    internal static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan GatewayCallTimeout = TimeSpan.FromSeconds(5);

    private readonly RecentUpdates _recent = new(ResumableUpdates);
    private ChartAudience _audience = null!;
    private ChartSpec? _spec;
    private ChartComputation? _chart;
    private StreamSubscriptionHandle<QuoteTick>? _subscription;
    private string _epoch = "";
    private long _seq;
    private long _updatesComputed;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _audience = new ChartAudience((gatewayId, gateway) => new GatewayOutbox(gatewayId, gateway, key, ForgetGateway, logger));
        if (!ChartSpec.TryParseKey(key, out _spec))
        {
            return;
        }
        await Load();
        this.RegisterGrainTimer(StopWhenUnwatched, IdleCheck, IdleCheck);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Not while the silo shuts down: the pub/sub grains are deactivating too and cannot take the call, and the
        // subscription is not lost, since the next activation resumes it (Load).
        if (_subscription is not null && _audience.Viewers == 0 && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await _subscription.UnsubscribeAsync();
        }
    }

    public async Task<ChartOpenResult> Open(ChartOpenRequest request)
    {
        if (_chart is null)
        {
            await Load();
            if (_chart is null)
            {
                DeactivateOnIdle();
                return new ChartOpenResult(false, null);
            }
        }
        if (!request.Dynamic)
        {
            return new ChartOpenResult(true, ChartFrames.CreateSnapshot(_chart, _epoch, _seq, false, request.Count, request.ChartId, request.IdJson));
        }

        ImmutableArray<ServerFrame> frames = request.Resume is { } resume && resume.Epoch == _epoch && _recent.TryGetAfter(resume.Seq, _seq, out var missed)
            // Catch-up frames must all arrive: stripped of their conflation key, a slow queue cannot merge them.
            ? [ChartFrames.CreateResumed(_chart.Spec, request.ChartId, _epoch, resume.Seq, request.IdJson), .. missed.Select(f => f with { ConflationKey = null })]
            : [ChartFrames.CreateSnapshot(_chart, _epoch, _seq, true, request.Count, request.ChartId, request.IdJson)];
        var viewer = request.Viewer;
        try
        {
            await viewer.Gateway.AttachChart(viewer.InstanceId, _chart.Spec.Key, frames).WaitAsync(GatewayCallTimeout);
            _audience.Add(viewer);
        }
        catch (Exception e)
        {
            logger.LogWarning("Chart {Chart} could not reach gateway {GatewayId}: {Error}", _chart.Spec.Key, viewer.GatewayId, e.Message);
        }
        return new ChartOpenResult(true, null);
    }

    public async Task Close(string gatewayId, string instanceId)
    {
        var gateway = _audience.Gateway(gatewayId);
        _audience.Remove(gatewayId, instanceId);
        if (gateway is not null && _spec is not null)
        {
            try
            {
                await gateway.DetachChart(instanceId, _spec.Key).WaitAsync(GatewayCallTimeout);
            }
            catch (Exception e)
            {
                logger.LogDebug("Detach from gateway {GatewayId} failed: {Error}", gatewayId, e.Message);
            }
        }
    }

    public async Task Refresh(string gatewayId, IGatewayObserver gateway, ImmutableArray<string> instanceIds)
    {
        if (_chart is null)
        {
            return;
        }
        var unknown = _audience.Reset(gatewayId, gateway, instanceIds);
        if (!unknown.IsEmpty)
        {
            // Viewers this activation never served watch an older epoch: one fresh snapshot brings them up to date.
            logger.LogInformation("Chart {Chart} re-learned {Count} viewers on gateway {GatewayId}", _chart.Spec.Key, unknown.Length, gatewayId);
            _audience.Post(ChartFrames.CreateSnapshot(_chart, _epoch, _seq, true, QuoteRules.MaxHistoryBars, null, null), gatewayId);
        }
    }

    public Task<ChartStats> GetStats() =>
        Task.FromResult(new ChartStats(_epoch, _seq, _audience.Viewers, _audience.GatewayCount, _updatesComputed, RuntimeIdentity));

    private async Task Load()
    {
        var centre = GrainFactory.GetGrain<IQuoteCentreGrain>(_spec!.Symbol);
        if (!await centre.Exists())
        {
            return;
        }
        if (_subscription is null)
        {
            var stream = this.GetStreamProvider(StreamNames.Provider).GetStream<QuoteTick>(StreamId.Create(StreamNames.QuoteNamespace, _spec.Symbol));
            var handles = await stream.GetAllSubscriptionHandles();
            _subscription = handles.Count > 0 ? await handles[0].ResumeAsync(OnTick) : await stream.SubscribeAsync(OnTick);
            foreach (var extra in handles.Skip(1))
            {
                await extra.UnsubscribeAsync();
            }
        }
        // Subscribed before reading history: a tick that races the read is applied after it, and applying a bar
        // twice is harmless (bars are upserted by time).
        _chart = new ChartComputation(_spec, await centre.GetBars(_spec.Period, QuoteRules.MaxHistoryBars));
        _epoch = Guid.NewGuid().ToString("N")[..12];
        _seq = 0;
        _recent.Clear();
    }

    private async Task OnTick(QuoteTick tick, StreamSequenceToken? token)
    {
        if (_chart is null)
        {
            return;
        }
        if (tick.HistoryReplaced)
        {
            await Load();
            _audience.Post(ChartFrames.CreateSnapshot(_chart, _epoch, _seq, true, QuoteRules.MaxHistoryBars, null, null));
            return;
        }
        var changed = false;
        foreach (var bar in tick.Bars)
        {
            if (bar.Period == _chart.Spec.Period)
            {
                changed |= _chart.Upsert(bar.Bar);
            }
        }
        if (!changed)
        {
            return;
        }
        _seq++;
        _updatesComputed++;
        metrics.ChartUpdates.Add(1);
        var frame = ChartFrames.CreateUpdate(_chart, _epoch, _seq);
        _recent.Add(_seq, frame);
        _audience.Post(frame);
        if (tick.Latest is { } latest)
        {
            metrics.Latency.Record(clock.GetUtcNow().ToUnixTimeMilliseconds() - latest.Time);
        }
    }

    /// <summary>A gateway that failed a call is forgotten until its next refresh restates its viewers.</summary>
    private void ForgetGateway(string gatewayId) => _audience.RemoveGateway(gatewayId);

    private async Task StopWhenUnwatched()
    {
        if (_audience.Viewers == 0)
        {
            if (_subscription is not null)
            {
                await _subscription.UnsubscribeAsync();
                _subscription = null;
            }
            DeactivateOnIdle();
        }
    }
}
