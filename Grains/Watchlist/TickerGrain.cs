using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Realtime.Hosting;
using Realtime.Connections;
using Realtime.Quotes;
using Realtime.Topics;

namespace Realtime.Watchlist;

/// <summary>
/// The watchlist line of one symbol, kept from the ticks its quote centre pushes and published on its topic.
/// </summary>
/// <remarks>
/// Every update carries the whole line, so a lost tick costs no line its correctness, only its freshness: a tick that
/// is not the next one, or a quiet line whose centre moved on (checked every <see cref="PositionCheck"/> while
/// someone watches), makes the grain re-read the line from the quote centre.
/// </remarks>
[GrainType("ticker")]
[SymbolPlacement]
internal sealed class TickerGrain(
    [PersistentState(TopicGatewaysState.Name, SiloHostingExtensions.StateStore)] IPersistentState<TopicGatewaysState> saved,
    TimeProvider clock,
    ILogger<TickerGrain> logger) : Grain, ITickerGrain, IQuoteListener
{
    internal static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan PositionCheck = TimeSpan.FromSeconds(2);

    private TopicChannel _channel = null!;
    private TickerDays _days = null!;
    private QuoteSubscription _quotes = null!;
    private (string Incarnation, long Seq) _source;
    private DateTimeOffset _lastTick;
    private bool _loaded;

    private string Symbol => this.GetPrimaryKeyString();

    private IQuoteCentreGrain Centre => GrainFactory.GetGrain<IQuoteCentreGrain>(Symbol);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _channel = new TopicChannel(this.GetGrainId().ToString(), saved, CurrentSnapshot, logger);
        _days = new TickerDays(Symbol);
        _quotes = new QuoteSubscription(GrainFactory, this.AsReference<IQuoteListener>(), Symbol);
        if (QuoteRules.IsSymbol(Symbol))
        {
            await Load();
        }
        if (_loaded)
        {
            _channel.RestoreSubscribers();
        }
        this.RegisterGrainTimer(StopWhenUnwatched, IdleCheck, IdleCheck);
        this.RegisterGrainTimer(CheckPosition, PositionCheck, PositionCheck);
    }

    public async Task<OpenOutcome> Subscribe(ConnectionInfo subscriber, TopicPosition? resume, string? idJson, double? maxRate = null)
    {
        if (!_loaded)
        {
            await Load();
        }
        if (_days.Line is not { } line)
        {
            DeactivateOnIdle();
            return OpenOutcome.NotFound;
        }
        ImmutableArray<ServerFrame> frames = resume is not null && _channel.TryCatchUp(resume.Epoch, resume.Seq, out var missed)
            ? [TickerFrames.CreateResumed(Symbol, _channel.Epoch, resume.Seq, idJson), .. missed]
            : [TickerFrames.CreateSnapshot(line, _channel.Epoch, _channel.Seq, idJson)];
        return await _channel.Subscribe(subscriber, frames, maxRate);
    }

    public Task Unsubscribe(string gatewayId, string instanceId) => _channel.Unsubscribe(gatewayId, instanceId);

    public Task Refresh(string gatewayId, IGatewayObserver gateway, ImmutableArray<string> instanceIds) =>
        _loaded ? _channel.Refresh(gatewayId, gateway, instanceIds) : Task.CompletedTask;

    public Task<TickerLine?> GetLine() => Task.FromResult(_days.Line);

    private async Task Load()
    {
        if (!await Centre.Exists())
        {
            return;
        }
        await _quotes.Start();
        // Subscribed before reading: a tick that races the read carries a number the read already covers.
        await ReadFromCentre();
        _loaded = true;
    }

    private async Task ReadFromCentre()
    {
        var history = await Centre.GetHistory(TickerDays.Period, 2);
        _days.Reset(history.Bars, await Centre.GetLatest());
        _source = (history.Incarnation, history.Seq);
    }

    public async Task OnTick(QuoteTick tick)
    {
        if (!_loaded)
        {
            return;
        }
        _lastTick = clock.GetUtcNow();
        if (tick.Incarnation == _source.Incarnation && tick.Seq <= _source.Seq)
        {
            return;
        }
        var before = _days.Line;
        if (tick.HistoryReplaced || tick.Incarnation != _source.Incarnation || tick.Seq != _source.Seq + 1 || !Fold(tick))
        {
            await ReadFromCentre();
        }
        else
        {
            _source = (tick.Incarnation, tick.Seq);
        }
        PublishIfChanged(before);
    }

    /// <summary>Folds a tick's day bars in; false when one reached into older history (the caller re-reads).</summary>
    private bool Fold(QuoteTick tick)
    {
        foreach (var bar in tick.Bars)
        {
            if (bar.Period == TickerDays.Period && !_days.TryApply(bar.Bar))
            {
                return false;
            }
        }
        if (tick.Latest is { } latest)
        {
            _days.Apply(latest);
        }
        return true;
    }

    private void PublishIfChanged(TickerLine? before)
    {
        if (_days.Line is { } line && line != before)
        {
            _channel.Publish((epoch, seq) => TickerFrames.CreateUpdate(line, epoch, seq));
        }
    }

    private ServerFrame? CurrentSnapshot() =>
        _days.Line is { } line ? TickerFrames.CreateSnapshot(line, _channel.Epoch, _channel.Seq, null) : null;

    /// <summary>A quiet line may have lost the last ticks: compare with the centre (and listen again when behind).</summary>
    private async Task CheckPosition()
    {
        if (!_loaded || _channel.GatewayCount == 0 || clock.GetUtcNow() - _lastTick < PositionCheck)
        {
            return;
        }
        var position = await Centre.GetPosition();
        if (position != _source && !(position.Incarnation == _source.Incarnation && position.Seq < _source.Seq))
        {
            var before = _days.Line;
            await _quotes.Start();
            await ReadFromCentre();
            PublishIfChanged(before);
        }
    }

    private async Task StopWhenUnwatched()
    {
        if (_channel.GatewayCount == 0)
        {
            await _quotes.Stop();
            DeactivateOnIdle();
        }
    }
}
