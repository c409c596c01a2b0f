using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>A chart's viewers, grouped by the gateway holding them: an update costs one call per gateway.</summary>
internal sealed class ChartAudience
{
    private readonly Dictionary<string, (IGatewayObserver Gateway, HashSet<string> Instances)> _byGateway = new(StringComparer.Ordinal);

    public int Viewers => _byGateway.Values.Sum(g => g.Instances.Count);

    public int GatewayCount => _byGateway.Count;

    public IEnumerable<(string GatewayId, IGatewayObserver Gateway)> Gateways => _byGateway.Select(g => (g.Key, g.Value.Gateway));

    public bool Contains(string gatewayId, string instanceId) =>
        _byGateway.TryGetValue(gatewayId, out var entry) && entry.Instances.Contains(instanceId);

    public void Add(ChartViewer viewer)
    {
        if (!_byGateway.TryGetValue(viewer.GatewayId, out var entry))
        {
            _byGateway[viewer.GatewayId] = entry = (viewer.Gateway, new HashSet<string>(StringComparer.Ordinal));
        }
        entry.Instances.Add(viewer.InstanceId);
    }

    public void Remove(string gatewayId, string instanceId)
    {
        if (_byGateway.TryGetValue(gatewayId, out var entry) && entry.Instances.Remove(instanceId) && entry.Instances.Count == 0)
        {
            _byGateway.Remove(gatewayId);
        }
    }

    /// <summary>Replaces what one gateway watches with its own statement; returns the instances this chart did not know.</summary>
    public ImmutableArray<string> Reset(string gatewayId, IGatewayObserver gateway, ImmutableArray<string> instanceIds)
    {
        var known = _byGateway.TryGetValue(gatewayId, out var entry) ? entry.Instances : [];
        var unknown = instanceIds.Where(id => !known.Contains(id)).ToImmutableArray();
        if (instanceIds.IsEmpty)
        {
            _byGateway.Remove(gatewayId);
        }
        else
        {
            _byGateway[gatewayId] = (gateway, new HashSet<string>(instanceIds, StringComparer.Ordinal));
        }
        return unknown;
    }

    public void RemoveGateway(string gatewayId) => _byGateway.Remove(gatewayId);
}
