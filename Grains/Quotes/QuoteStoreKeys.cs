using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Realtime.Quotes;

/// <summary>
/// Redis keys of the quote history, prefixed with the service id so deployments (and test clusters) sharing one
/// Redis never read each other's quotes.
/// </summary>
public sealed class QuoteStoreKeys(IOptions<ClusterOptions> cluster)
{
    private readonly string _prefix = $"{cluster.Value.ServiceId}:quotes";

    /// <summary>Set of every symbol that ever had a quote or history.</summary>
    public string Symbols => $"{_prefix}:symbols";

    /// <summary>Hash of one period's bars: field = bar open time (unix ms), value = <c>open,high,low,close,volume</c>.</summary>
    public string Bars(string symbol, string period) => $"{_prefix}:{symbol}:{period}";

    /// <summary>The latest quote of a symbol, as JSON.</summary>
    public string Latest(string symbol) => $"{_prefix}:{symbol}:latest";

    /// <summary>The time of the first quote the symbol's quote centre applied (unix ms): bars from then on are live.</summary>
    public string LiveSince(string symbol) => $"{_prefix}:{symbol}:live-since";
}
