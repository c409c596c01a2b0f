using System.Collections.Concurrent;
using System.Collections.Immutable;
using Realtime.Gateway.Compact;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Which local connections subscribe to which topic, and the epoch each holds. A publishing grain sends each frame
/// to this gateway once; this table turns it into one queued frame per subscribed connection.
/// </summary>
/// <remarks>
/// A topic's subscriber set is dropped when its last subscriber leaves, which races a subscriber joining: adding and
/// removing take the set's lock, and a set once dropped is never written to again (an add that finds one retries
/// with a new set), so a joining subscriber always lands in the set that frames are read from. Fan-out reads take
/// no lock: they walk an array of the set's subscribers, made again after a join or a leave, not the dictionary.
/// </remarks>
internal sealed class TopicSubscriptions
{
    private readonly ConcurrentDictionary<string, SubscriberSet> _byTopic = new(StringComparer.Ordinal);

    public void Add(string topic, ClientConnection connection, string? epoch) =>
        Add(topic, new TopicSubscriber(connection) { Epoch = epoch });

    /// <summary>
    /// Subscribes (or re-subscribes) the subscriber's connection; one it replaces sends nothing more. The
    /// <paramref name="first"/> frames (its snapshot, or what it missed) are offered to it before any frame published
    /// to the topic, under the topic's handle.
    /// </summary>
    public void Add(string topic, TopicSubscriber subscriber, IEnumerable<Realtime.Connections.ServerFrame>? first = null)
    {
        while (true)
        {
            var subscribers = _byTopic.GetOrAdd(topic, _ => new SubscriberSet());
            lock (subscribers)
            {
                if (!subscribers.Dropped)
                {
                    subscriber.Topic = subscribers.Handle;
                    foreach (var frame in first ?? [])
                    {
                        subscriber.Offer(frame);
                    }
                    var instanceId = subscriber.Connection.InstanceId;
                    if (subscribers.Connections.TryGetValue(instanceId, out var replaced))
                    {
                        replaced.Pacer?.Stop();
                    }
                    subscribers.Connections[instanceId] = subscriber;
                    subscribers.Changed();
                    return;
                }
            }
        }
    }

    /// <summary>The connection's subscription to the topic, if it has one here.</summary>
    public TopicSubscriber? Find(string topic, string instanceId) =>
        _byTopic.TryGetValue(topic, out var subscribers) ? subscribers.Connections.GetValueOrDefault(instanceId) : null;

    public void Remove(string topic, string instanceId)
    {
        if (!_byTopic.TryGetValue(topic, out var subscribers))
        {
            return;
        }
        lock (subscribers)
        {
            if (!subscribers.Connections.TryRemove(instanceId, out var removed))
            {
                return;
            }
            removed.Pacer?.Stop();
            subscribers.Changed();
            if (subscribers.Connections.IsEmpty)
            {
                subscribers.Dropped = true;
                _byTopic.TryRemove(new(topic, subscribers));
            }
        }
    }

    /// <summary>Drops a closed connection from every topic it subscribed to.</summary>
    public void RemoveConnection(string instanceId)
    {
        foreach (var topic in _byTopic.Keys)
        {
            Remove(topic, instanceId);
        }
    }

    public IReadOnlyList<TopicSubscriber> Subscribers(string topic) =>
        _byTopic.TryGetValue(topic, out var subscribers) ? subscribers.Snapshot() : [];

    /// <summary>
    /// Offers a grain's frames of <paramref name="topic"/> to each of its subscribers here; false when a subscriber
    /// got an update of an epoch it never had the snapshot of (the grain then restates it). Each frame's compact form
    /// is made once for the publish, not once per compact connection.
    /// </summary>
    public bool Publish(string topic, ImmutableArray<Realtime.Connections.ServerFrame> frames)
    {
        if (!_byTopic.TryGetValue(topic, out var subscribers))
        {
            return true;
        }
        var inStep = true;
        var subscribed = subscribers.Snapshot();
        var compact = default(Realtime.Connections.ServerFrame[]);
        foreach (var subscriber in subscribed)
        {
            if (subscriber.Connection.Compact)
            {
                compact ??= [.. frames.Select(subscribers.Handle.Compact)];
                for (var i = 0; i < frames.Length; i++)
                {
                    inStep &= subscriber.Offer(frames[i], compact[i]);
                }
            }
            else
            {
                foreach (var frame in frames)
                {
                    inStep &= subscriber.Offer(frame);
                }
            }
        }
        return inStep;
    }

    /// <summary>Instance ids per topic, for restating subscribers to the grains that publish them.</summary>
    public Dictionary<string, ImmutableArray<string>> ByTopic() =>
        _byTopic.ToDictionary(c => c.Key, c => c.Value.Connections.Keys.ToImmutableArray(), StringComparer.Ordinal);

    private sealed class SubscriberSet
    {
        public ConcurrentDictionary<string, TopicSubscriber> Connections { get; } = new(StringComparer.Ordinal);

        /// <summary>The topic's handle for as long as this gateway has subscribers to it.</summary>
        public TopicHandle Handle { get; } = new();

        /// <summary>Set once the set is removed from the table; nothing may be added to it after that.</summary>
        public bool Dropped { get; set; }

        // The subscribers as an array for fan-outs, made on the first publish after a change; null until then.
        private TopicSubscriber[]? _snapshot;

        /// <summary>Called under the set's lock after a subscriber joined or left.</summary>
        public void Changed() => Volatile.Write(ref _snapshot, null);

        public TopicSubscriber[] Snapshot()
        {
            if (Volatile.Read(ref _snapshot) is { } snapshot)
            {
                return snapshot;
            }
            lock (this)
            {
                // Made under the lock, so a join or leave cannot slip between reading the dictionary and keeping the array.
                return _snapshot ??= [.. Connections.Values];
            }
        }
    }
}
