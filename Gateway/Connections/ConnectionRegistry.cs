using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Realtime.Gateway.Connections;

/// <summary>The connections this gateway holds, by instance id.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ClientConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(ClientConnection connection) => _connections[connection.InstanceId] = connection;

    public void Remove(ClientConnection connection) => _connections.TryRemove(new(connection.InstanceId, connection));

    public ClientConnection? Find(string instanceId) => _connections.GetValueOrDefault(instanceId);

    public IEnumerable<ClientConnection> All => _connections.Values;

    /// <summary>Instance ids grouped by user, for the periodic refresh of user grains.</summary>
    public Dictionary<string, ImmutableArray<string>> ByUser() =>
        _connections.Values
            .GroupBy(c => c.UserId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(c => c.InstanceId).ToImmutableArray(), StringComparer.Ordinal);
}
