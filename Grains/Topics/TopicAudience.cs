using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Topics;

/// <summary>
/// A topic's subscribers, grouped by the gateway holding them: a frame costs one call per gateway. The gateway keeps
/// the subscribers' sockets; this keeps which gateways to call and, for counting, their subscribers' instance ids.
/// </summary>
/// <remarks>
/// A gateway's statement of its subscribers (<see cref="Reset"/>) is taken on the gateway and may have left it before
/// a subscription this topic just sent got there. So a subscriber younger than <see cref="JoinGrace"/> is kept even if
/// the statement leaves it out: dropping it would stop its updates (and the gateway's next statement, naming it, would
/// then cost every subscriber on that gateway a fresh snapshot). The same race runs the other way: a statement taken
/// before an unsubscription got there still names the subscriber that left. A subscriber that left less than
/// <see cref="JoinGrace"/> ago is therefore not re-learned from a statement: re-learning it would count it again and
/// push an unasked snapshot to every subscriber of the topic on that gateway (seen under fast subscribe/unsubscribe
/// churn). If the gateway really still holds it (its unsubscribe call failed), a statement after the grace restates it.
/// </remarks>
internal sealed class TopicAudience(Func<string, IGatewayObserver, GatewayOutbox> createOutbox, TimeProvider? time = null)
{
    /// <summary>How long a new subscription may take to reach its gateway: the subscribe call's own deadline, and then some.</summary>
    public static readonly TimeSpan JoinGrace = 3 * GatewayOutbox.CallTimeout;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Per gateway, its outbox and its subscribers with the timestamp each was added at.</summary>
    private readonly Dictionary<string, (GatewayOutbox Outbox, Dictionary<string, long> Instances)> _byGateway = new(StringComparer.Ordinal);

    /// <summary>Per gateway, subscribers that left and the timestamp each left at, kept for <see cref="JoinGrace"/>.</summary>
    private readonly Dictionary<string, Dictionary<string, long>> _left = new(StringComparer.Ordinal);

    public int Subscribers => _byGateway.Values.Sum(g => g.Instances.Count);

    public int GatewayCount => _byGateway.Count;

    /// <summary>Each gateway with subscribers and its observer: what a topic grain persists to find them again after a move.</summary>
    public Dictionary<string, IGatewayObserver> Gateways() =>
        _byGateway.ToDictionary(g => g.Key, g => g.Value.Outbox.Gateway, StringComparer.Ordinal);

    public IGatewayObserver? Gateway(string gatewayId) => _byGateway.TryGetValue(gatewayId, out var entry) ? entry.Outbox.Gateway : null;

    /// <summary>Counts <paramref name="subscriber"/> in and returns the outbox to subscribe it through.</summary>
    public GatewayOutbox Add(ConnectionInfo subscriber)
    {
        var entry = Entry(subscriber.GatewayId, subscriber.Gateway);
        entry.Instances[subscriber.InstanceId] = _time.GetTimestamp();
        if (_left.TryGetValue(subscriber.GatewayId, out var left))
        {
            left.Remove(subscriber.InstanceId);
        }
        return entry.Outbox;
    }

    /// <summary>A gateway known to have subscribers whose instance ids its next refresh will state.</summary>
    public void Restore(string gatewayId, IGatewayObserver gateway) => Entry(gatewayId, gateway);

    public void Remove(string gatewayId, string instanceId)
    {
        if (!_byGateway.TryGetValue(gatewayId, out var entry) || !entry.Instances.Remove(instanceId))
        {
            return;
        }
        if (!_left.TryGetValue(gatewayId, out var left))
        {
            _left[gatewayId] = left = new Dictionary<string, long>(StringComparer.Ordinal);
        }
        left[instanceId] = _time.GetTimestamp();
        if (entry.Instances.Count == 0)
        {
            _byGateway.Remove(gatewayId);
        }
    }

    /// <summary>
    /// Replaces what one gateway subscribes with its own statement, keeping subscribers too new to be in it; returns
    /// the instances this topic did not know.
    /// </summary>
    public ImmutableArray<string> Reset(string gatewayId, IGatewayObserver gateway, ImmutableArray<string> instanceIds)
    {
        if (_left.TryGetValue(gatewayId, out var left))
        {
            foreach (var gone in left.Where(l => _time.GetElapsedTime(l.Value) >= JoinGrace).Select(l => l.Key).ToList())
            {
                left.Remove(gone);
            }
            if (left.Count == 0)
            {
                _left.Remove(gatewayId);
            }
            else
            {
                instanceIds = instanceIds.Where(id => !left.ContainsKey(id)).ToImmutableArray();
            }
        }
        var known = _byGateway.TryGetValue(gatewayId, out var entry) ? entry.Instances : [];
        var unknown = instanceIds.Where(id => !known.ContainsKey(id)).ToImmutableArray();
        var stated = instanceIds.ToHashSet(StringComparer.Ordinal);
        var now = _time.GetTimestamp();
        var joining = known.Where(i => !stated.Contains(i.Key) && _time.GetElapsedTime(i.Value) < JoinGrace).ToList();
        if (instanceIds.IsEmpty && joining.Count == 0)
        {
            _byGateway.Remove(gatewayId);
            return unknown;
        }
        var instances = Entry(gatewayId, gateway).Instances;
        var added = instanceIds.ToDictionary(id => id, id => instances.GetValueOrDefault(id, now), StringComparer.Ordinal);
        instances.Clear();
        foreach (var (id, at) in added.Concat(joining))
        {
            instances[id] = at;
        }
        return unknown;
    }

    public void RemoveGateway(string gatewayId)
    {
        _byGateway.Remove(gatewayId);
        _left.Remove(gatewayId);
    }

    /// <summary>Queues a frame for every gateway with subscribers (or only <paramref name="gatewayId"/>).</summary>
    public void Post(ServerFrame frame, string? gatewayId = null)
    {
        foreach (var (id, entry) in _byGateway)
        {
            if (gatewayId is null || id == gatewayId)
            {
                entry.Outbox.Post(frame);
            }
        }
    }

    private (GatewayOutbox Outbox, Dictionary<string, long> Instances) Entry(string gatewayId, IGatewayObserver gateway)
    {
        if (!_byGateway.TryGetValue(gatewayId, out var entry))
        {
            _byGateway[gatewayId] = entry = (createOutbox(gatewayId, gateway), new Dictionary<string, long>(StringComparer.Ordinal));
        }
        return entry;
    }
}
