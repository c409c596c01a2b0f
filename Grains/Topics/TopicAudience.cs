using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Topics;

/// <summary>
/// A topic's subscribers, grouped by the gateway holding them: a frame costs one call per gateway. The gateway keeps
/// the subscribers' sockets; this keeps which gateways to call and, for counting, their subscribers' instance ids.
/// </summary>
internal sealed class TopicAudience(Func<string, IGatewayObserver, GatewayOutbox> createOutbox)
{
    private readonly Dictionary<string, (GatewayOutbox Outbox, HashSet<string> Instances)> _byGateway = new(StringComparer.Ordinal);

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
        entry.Instances.Add(subscriber.InstanceId);
        return entry.Outbox;
    }

    /// <summary>A gateway known to have subscribers whose instance ids its next refresh will state.</summary>
    public void Restore(string gatewayId, IGatewayObserver gateway) => Entry(gatewayId, gateway);

    public void Remove(string gatewayId, string instanceId)
    {
        if (_byGateway.TryGetValue(gatewayId, out var entry) && entry.Instances.Remove(instanceId) && entry.Instances.Count == 0)
        {
            _byGateway.Remove(gatewayId);
        }
    }

    /// <summary>Replaces what one gateway subscribes with its own statement; returns the instances this topic did not know.</summary>
    public ImmutableArray<string> Reset(string gatewayId, IGatewayObserver gateway, ImmutableArray<string> instanceIds)
    {
        var known = _byGateway.TryGetValue(gatewayId, out var entry) ? entry.Instances : [];
        var unknown = instanceIds.Where(id => !known.Contains(id)).ToImmutableArray();
        if (instanceIds.IsEmpty)
        {
            _byGateway.Remove(gatewayId);
            return unknown;
        }
        var instances = Entry(gatewayId, gateway).Instances;
        instances.Clear();
        instances.UnionWith(instanceIds);
        return unknown;
    }

    public void RemoveGateway(string gatewayId) => _byGateway.Remove(gatewayId);

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

    private (GatewayOutbox Outbox, HashSet<string> Instances) Entry(string gatewayId, IGatewayObserver gateway)
    {
        if (!_byGateway.TryGetValue(gatewayId, out var entry))
        {
            _byGateway[gatewayId] = entry = (createOutbox(gatewayId, gateway), new HashSet<string>(StringComparer.Ordinal));
        }
        return entry;
    }
}
