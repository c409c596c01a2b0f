using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Users;

/// <summary>
/// Keeps the live gateways in memory only: gateways re-register every few seconds, so after a silo failure the
/// list rebuilds itself, and a gateway that stopped refreshing is forgotten after <see cref="Expiry"/>.
/// </summary>
[GrainType("gatewaydirectory")]
internal sealed class GatewayDirectoryGrain(TimeProvider clock) : Grain, IGatewayDirectoryGrain
{
    internal static readonly TimeSpan Expiry = TimeSpan.FromSeconds(45);

    private readonly Dictionary<string, (IGatewayObserver Gateway, DateTimeOffset Seen)> _gateways = [];

    public Task Register(string gatewayId, IGatewayObserver gateway)
    {
        _gateways[gatewayId] = (gateway, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task Unregister(string gatewayId)
    {
        _gateways.Remove(gatewayId);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<IGatewayObserver>> GetGateways()
    {
        var oldest = clock.GetUtcNow() - Expiry;
        foreach (var stale in _gateways.Where(g => g.Value.Seen < oldest).Select(g => g.Key).ToArray())
        {
            _gateways.Remove(stale);
        }
        return Task.FromResult(_gateways.Values.Select(g => g.Gateway).ToImmutableArray());
    }
}
