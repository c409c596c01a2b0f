namespace Realtime.Tests.Cluster;

public sealed class ClusterProbeGrain : Grain, IClusterProbeGrain
{
    public Task<string> Silo() => Task.FromResult(RuntimeIdentity);

    public Task<string> SiloOf(long otherProbe) => GrainFactory.GetGrain<IClusterProbeGrain>(otherProbe).Silo();
}
