namespace Realtime.Quotes;

/// <summary>A grain's place among the listeners of one symbol's quote centre (a chart's, a watchlist line's).</summary>
internal sealed class QuoteSubscription(IGrainFactory grains, IQuoteListener listener, string symbol)
{
    private bool _listening;

    private IQuoteCentreGrain Centre => grains.GetGrain<IQuoteCentreGrain>(symbol);

    /// <summary>
    /// Asks the centre to push ticks here. Idempotent at the centre, so a listener that found itself behind calls it
    /// again: a centre whose saved listeners were lost learns of it that way.
    /// </summary>
    public async Task Start()
    {
        await Centre.Listen(listener);
        _listening = true;
    }

    public async Task Stop()
    {
        if (_listening)
        {
            _listening = false;
            await Centre.Unlisten(listener);
        }
    }
}
