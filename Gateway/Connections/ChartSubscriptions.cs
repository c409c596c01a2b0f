using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Which local connections watch which chart. A chart grain sends each update to this gateway once; this table
/// turns it into one queued frame per watching connection.
/// </summary>
/// <remarks>
/// A chart's viewer set is dropped when its last viewer leaves, which races a viewer joining: adding and removing
/// take the set's lock, and a set once dropped is never written to again (an add that finds one retries with a new
/// set), so a joining viewer always lands in the set that updates are read from. Fan-out reads take no lock.
/// </remarks>
internal sealed class ChartSubscriptions
{
    private readonly ConcurrentDictionary<string, ViewerSet> _byChart = new(StringComparer.Ordinal);

    public void Add(string chartKey, ClientConnection connection)
    {
        while (true)
        {
            var viewers = _byChart.GetOrAdd(chartKey, _ => new ViewerSet());
            lock (viewers)
            {
                if (!viewers.Dropped)
                {
                    viewers.Connections[connection.InstanceId] = connection;
                    return;
                }
            }
        }
    }

    public void Remove(string chartKey, string instanceId)
    {
        if (!_byChart.TryGetValue(chartKey, out var viewers))
        {
            return;
        }
        lock (viewers)
        {
            if (viewers.Connections.TryRemove(instanceId, out _) && viewers.Connections.IsEmpty)
            {
                viewers.Dropped = true;
                _byChart.TryRemove(new(chartKey, viewers));
            }
        }
    }

    /// <summary>Drops a closed connection from every chart it watched.</summary>
    public void RemoveConnection(string instanceId)
    {
        foreach (var chartKey in _byChart.Keys)
        {
            Remove(chartKey, instanceId);
        }
    }

    public IEnumerable<ClientConnection> Viewers(string chartKey) =>
        _byChart.TryGetValue(chartKey, out var viewers) ? viewers.Connections.Select(c => c.Value) : [];

    /// <summary>Instance ids per chart, for the periodic refresh of chart grains.</summary>
    public Dictionary<string, ImmutableArray<string>> ByChart() =>
        _byChart.ToDictionary(c => c.Key, c => c.Value.Connections.Keys.ToImmutableArray(), StringComparer.Ordinal);

    private sealed class ViewerSet
    {
        public ConcurrentDictionary<string, ClientConnection> Connections { get; } = new(StringComparer.Ordinal);

        /// <summary>Set once the set is removed from the table; nothing may be added to it after that.</summary>
        public bool Dropped { get; set; }
    }
}
