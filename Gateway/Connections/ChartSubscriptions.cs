using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Which local connections watch which chart. A chart grain sends each update to this gateway once; this table
/// turns it into one queued frame per watching connection.
/// </summary>
internal sealed class ChartSubscriptions
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ClientConnection>> _byChart = new(StringComparer.Ordinal);

    public void Add(string chartKey, ClientConnection connection) =>
        _byChart.GetOrAdd(chartKey, _ => new ConcurrentDictionary<string, ClientConnection>(StringComparer.Ordinal))[connection.InstanceId] = connection;

    public void Remove(string chartKey, string instanceId)
    {
        if (_byChart.TryGetValue(chartKey, out var viewers) && viewers.TryRemove(instanceId, out _) && viewers.IsEmpty)
        {
            _byChart.TryRemove(new(chartKey, viewers));
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
        _byChart.TryGetValue(chartKey, out var viewers) ? viewers.Values : [];

    /// <summary>Instance ids per chart, for the periodic refresh of chart grains.</summary>
    public Dictionary<string, ImmutableArray<string>> ByChart() =>
        _byChart.ToDictionary(c => c.Key, c => c.Value.Keys.ToImmutableArray(), StringComparer.Ordinal);
}
