using Microsoft.Extensions.Logging;
using Realtime.Connections;
using Realtime.Modules;
using Realtime.Topics;

namespace Realtime.Watchlist;

/// <summary>
/// The symbols each of one user's connections watches. Subscribes and unsubscribes them at the symbols' ticker
/// grains, and releases them all when a connection closes or the user leaves.
/// </summary>
public sealed class WatchlistAgent(IGrainFactory grains, ILogger logger) : IUserModule
{
    /// <summary>Symbols one connection may watch at once.</summary>
    public const int MaxSymbolsPerConnection = 100;

    private readonly Dictionary<string, (ConnectionInfo Connection, HashSet<string> Symbols)> _byConnection = new(StringComparer.Ordinal);

    /// <summary>How many symbols <paramref name="instanceId"/> watches.</summary>
    public int Count(string instanceId) => _byConnection.TryGetValue(instanceId, out var entry) ? entry.Symbols.Count : 0;

    public bool Watches(string instanceId, string symbol) => _byConnection.TryGetValue(instanceId, out var entry) && entry.Symbols.Contains(symbol);

    /// <summary>Subscribes the connection to one symbol, at most <paramref name="maxRate"/> updates a second; the ticker grain sends its line to the connection.</summary>
    public async Task<OpenOutcome> Subscribe(ConnectionInfo connection, string symbol, TopicPosition? resume, string? idJson, double? maxRate)
    {
        var outcome = await grains.GetGrain<ITickerGrain>(symbol).Subscribe(connection, resume, idJson, maxRate);
        if (outcome != OpenOutcome.Opened)
        {
            return outcome;
        }
        if (!_byConnection.TryGetValue(connection.InstanceId, out var entry))
        {
            _byConnection[connection.InstanceId] = entry = (connection, new HashSet<string>(StringComparer.Ordinal));
        }
        entry.Symbols.Add(symbol);
        return outcome;
    }

    public async Task Unsubscribe(string instanceId, string symbol)
    {
        if (!_byConnection.TryGetValue(instanceId, out var entry) || !entry.Symbols.Remove(symbol))
        {
            return;
        }
        if (entry.Symbols.Count == 0)
        {
            _byConnection.Remove(instanceId);
        }
        await Release(entry.Connection, symbol);
    }

    public async ValueTask OnConnectionClosed(string instanceId)
    {
        if (_byConnection.Remove(instanceId, out var entry))
        {
            foreach (var symbol in entry.Symbols)
            {
                await Release(entry.Connection, symbol);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instanceId in _byConnection.Keys.ToArray())
        {
            await OnConnectionClosed(instanceId);
        }
    }

    private async Task Release(ConnectionInfo connection, string symbol)
    {
        try
        {
            await grains.GetGrain<ITickerGrain>(symbol).Unsubscribe(connection.GatewayId, connection.InstanceId);
        }
        catch (Exception e)
        {
            // The ticker forgets subscribers that their gateway no longer restates, so nothing leaks for long.
            logger.LogWarning("Could not release ticker {Symbol} for {InstanceId}: {Error}", symbol, connection.InstanceId, e.Message);
        }
    }
}
