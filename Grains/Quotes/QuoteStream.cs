using Orleans.Streams;

namespace Realtime.Quotes;

/// <summary>How a listener (a chart, a watchlist symbol) joins a symbol's quote stream.</summary>
internal static class QuoteStream
{
    /// <summary>
    /// Resumes the grain's subscription to <paramref name="symbol"/>'s ticks if it has one (it survives the grain's
    /// activation), otherwise subscribes; extra subscriptions left by a race are removed, so each tick arrives once.
    /// </summary>
    public static async Task<StreamSubscriptionHandle<QuoteTick>> Listen(Grain grain, string symbol, Func<QuoteTick, StreamSequenceToken?, Task> onTick)
    {
        var stream = grain.GetStreamProvider(StreamNames.Provider).GetStream<QuoteTick>(StreamId.Create(StreamNames.QuoteNamespace, symbol));
        var handles = await stream.GetAllSubscriptionHandles();
        var subscription = handles.Count > 0 ? await handles[0].ResumeAsync(onTick) : await stream.SubscribeAsync(onTick);
        foreach (var extra in handles.Skip(1))
        {
            await extra.UnsubscribeAsync();
        }
        return subscription;
    }
}
