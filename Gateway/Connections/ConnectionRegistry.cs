using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Realtime.Gateway.Connections;

/// <summary>The connections this gateway holds, by instance id, and how many each user has.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ClientConnection> _connections = new(StringComparer.Ordinal);
    // Kept as connections come and go, so a presence report reads the users whose count changed, not every user.
    private readonly Lock _usersGate = new();
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private HashSet<string> _usersChanged = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(ClientConnection connection)
    {
        if (_connections.TryAdd(connection.InstanceId, connection))
        {
            CountUser(connection.UserId, +1);
        }
    }

    public void Remove(ClientConnection connection)
    {
        if (_connections.TryRemove(new(connection.InstanceId, connection)))
        {
            CountUser(connection.UserId, -1);
        }
    }

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

    /// <summary>
    /// Connections per user, for presence reports: of every user (<paramref name="all"/>), or of the users whose count
    /// changed since the last call (0 for one with none left). Either way the next call's changes start from here.
    /// </summary>
    public Dictionary<string, int> TakeUserCounts(bool all)
    {
        lock (_usersGate)
        {
            var changed = _usersChanged;
            _usersChanged = new(StringComparer.Ordinal);
            if (all)
            {
                return new Dictionary<string, int>(_perUser, StringComparer.Ordinal);
            }
            var counts = new Dictionary<string, int>(changed.Count, StringComparer.Ordinal);
            foreach (var userId in changed)
            {
                counts[userId] = _perUser.GetValueOrDefault(userId);
            }
            return counts;
        }
    }

    private void CountUser(string userId, int delta)
    {
        lock (_usersGate)
        {
            var count = _perUser.GetValueOrDefault(userId) + delta;
            if (count > 0)
            {
                _perUser[userId] = count;
            }
            else
            {
                _perUser.Remove(userId);
            }
            _usersChanged.Add(userId);
        }
    }
}
