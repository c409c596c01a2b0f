using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>
/// This gateway process's id and its observer reference. The reference is created once and the observer object
/// kept here, because Orleans holds observers weakly and would otherwise let it be collected.
/// </summary>
internal sealed class GatewayIdentity(IGrainFactory grains, GatewayObserver observer)
{
    private readonly Lazy<IGatewayObserver> _reference = new(() => grains.CreateObjectReference<IGatewayObserver>(observer));

    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public GatewayObserver Observer => observer;

    public IGatewayObserver Reference => _reference.Value;
}
