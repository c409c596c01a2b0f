using Orleans.Placement;

namespace Realtime.Tests.Cluster;

// Random placement: the default (resource-optimised) may put every probe on the idler silo, hiding the other one.
[RandomPlacement]
public sealed class ClusterProbeGrain : Grain, IClusterProbeGrain
{
    public Task<string> Silo() => Task.FromResult(RuntimeIdentity);

    public Task<string> SiloOf(long otherProbe) => GrainFactory.GetGrain<IClusterProbeGrain>(otherProbe).Silo();
}
