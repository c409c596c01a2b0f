using Orleans.Streams;

namespace Realtime.Quotes;

/// <summary>A grain's subscription to one symbol's quote stream (a chart's, a watchlist line's).</summary>
internal sealed class QuoteStreamListener(Grain grain, string symbol, Func<QuoteTick, StreamSequenceToken?, Task> onTick)
{
    private StreamSubscriptionHandle<QuoteTick>? _subscription;

    /// <summary>
    /// Resumes the grain's subscription if it has one (it survives the grain's activation), otherwise subscribes;
    /// extra subscriptions left by a race are removed, so each tick arrives once.
    /// </summary>
    public async Task Start()
    {
        if (_subscription is not null)
        {
            return;
        }
        var stream = grain.GetStreamProvider(StreamNames.Provider).GetStream<QuoteTick>(StreamId.Create(StreamNames.QuoteNamespace, symbol));
        var handles = await stream.GetAllSubscriptionHandles();
        _subscription = handles.Count > 0 ? await handles[0].ResumeAsync(onTick) : await stream.SubscribeAsync(onTick);
        foreach (var extra in handles.Skip(1))
        {
            await extra.UnsubscribeAsync();
        }
    }

    public async Task Stop()
    {
        if (_subscription is { } subscription)
        {
            _subscription = null;
            await subscription.UnsubscribeAsync();
        }
    }
}
