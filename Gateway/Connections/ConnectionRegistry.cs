using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Realtime.Gateway.Connections;

/// <summary>The connections this gateway holds, by instance id, and how many each user has.</summary>
/// <remarks>
/// Connections are kept in <see cref="Shards"/> shards by instance id, so the heartbeat can visit one shard at a time
/// and its pings leave spread over its interval instead of all at once.
/// </remarks>
internal sealed class ConnectionRegistry
{
    public const int Shards = 64;

    private readonly ConcurrentDictionary<string, ClientConnection>[] _shards =
        [.. Enumerable.Range(0, Shards).Select(_ => new ConcurrentDictionary<string, ClientConnection>(StringComparer.Ordinal))];
    // Kept as connections come and go, so a presence report reads the users whose count changed, not every user.
    private readonly Lock _usersGate = new();
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private HashSet<string> _usersChanged = new(StringComparer.Ordinal);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(ClientConnection connection)
    {
        if (ShardOf(connection.InstanceId).TryAdd(connection.InstanceId, connection))
        {
            Interlocked.Increment(ref _count);
            CountUser(connection.UserId, +1);
        }
    }

    public void Remove(ClientConnection connection)
    {
        if (ShardOf(connection.InstanceId).TryRemove(new(connection.InstanceId, connection)))
        {
            Interlocked.Decrement(ref _count);
            CountUser(connection.UserId, -1);
        }
    }

    public ClientConnection? Find(string instanceId) => ShardOf(instanceId).GetValueOrDefault(instanceId);

    /// <summary>Every connection; each shard's own enumerator, so no snapshot and no lock held across the walk.</summary>
    public IEnumerable<ClientConnection> All
    {
        get
        {
            foreach (var shard in _shards)
            {
                foreach (var (_, connection) in shard)
                {
                    yield return connection;
                }
            }
        }
    }

    /// <summary>The connections of shard <paramref name="index"/> (0 to <see cref="Shards"/> - 1).</summary>
    public IEnumerable<ClientConnection> Shard(int index)
    {
        foreach (var (_, connection) in _shards[index])
        {
            yield return connection;
        }
    }

    /// <summary>
    /// Instance ids grouped by user, of the users <paramref name="include"/> takes (all when null), for the periodic
    /// refresh of user grains. Only those users are grouped: a refresh round tells one slice of a gateway's users, and
    /// grouping all of them each round cost a busy gateway more than telling the slice.
    /// </summary>
    public Dictionary<string, ImmutableArray<string>> ByUser(Func<string, bool>? include = null)
    {
        var byUser = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var connection in All)
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

    private ConcurrentDictionary<string, ClientConnection> ShardOf(string instanceId) =>
        _shards[(StringComparer.Ordinal.GetHashCode(instanceId) & int.MaxValue) % Shards];

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
