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

    /// <summary>
    /// Instance ids grouped by user, of the users <paramref name="include"/> takes (all when null), for the periodic
    /// refresh of user grains. Only those users are grouped: a refresh round tells one slice of a gateway's users, and
    /// grouping all of them each round cost a busy gateway more than telling the slice.
    /// </summary>
    public Dictionary<string, ImmutableArray<string>> ByUser(Func<string, bool>? include = null)
    {
        var byUser = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        // The dictionary's own enumerator: no snapshot of every connection, and no lock held across the walk.
        foreach (var (_, connection) in _connections)
        {
            if (include is null || include(connection.UserId))
            {
                byUser[connection.UserId] = byUser.TryGetValue(connection.UserId, out var ids) ? ids.Add(connection.InstanceId) : [connection.InstanceId];
            }
        }
        return byUser;
    }

    /// <summary>Connections per user, for presence reports.</summary>
    public Dictionary<string, int> CountByUser()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, connection) in _connections)
        {
            counts[connection.UserId] = counts.GetValueOrDefault(connection.UserId) + 1;
        }
        return counts;
    }
}
