using Orleans.Runtime;
using System.Collections.Immutable;

namespace Realtime.Connections;

/// <summary>
/// The cluster-wide list of live gateways, used for pushes to every connection. Not persisted: gateways
/// re-register on a timer, and entries not refreshed within the expiry are dropped.
/// Key: always <see cref="SingletonKey"/>.
/// </summary>
[Alias("realtime.IGatewayDirectoryGrain"), GrainInterfaceType("Realtime.Connections.IGatewayDirectoryGrain")]
public interface IGatewayDirectoryGrain : IGrainWithIntegerKey
{
    const long SingletonKey = 0;

    Task Register(string gatewayId, IGatewayObserver gateway);

    Task Unregister(string gatewayId);

    Task<ImmutableArray<IGatewayObserver>> GetGateways();
}
