namespace Realtime.Tests.Cluster;

/// <summary>A test-only grain that says which silo it lives on and can ask another probe the same.</summary>
public interface IClusterProbeGrain : IGrainWithIntegerKey
{
    Task<string> Silo();

    Task<string> SiloOf(long otherProbe);
}
