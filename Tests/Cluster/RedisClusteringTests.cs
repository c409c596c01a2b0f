using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Cluster;

/// <summary>Two silos and a client find each other through Redis membership and call across silos.</summary>
public sealed class RedisClusteringTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        await _cluster.StartSilo();
        await _cluster.StartGateway();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_grain_call_crosses_from_one_silo_to_the_other()
    {
        var (first, second) = await TwoProbesOnDifferentSilos();

        var secondSilo = await _cluster.Grains.GetGrain<IClusterProbeGrain>(second).Silo();
        var seenFromFirst = await _cluster.Grains.GetGrain<IClusterProbeGrain>(first).SiloOf(second);

        Assert.Equal(secondSilo, seenFromFirst);
        Assert.NotEqual(await _cluster.Grains.GetGrain<IClusterProbeGrain>(first).Silo(), seenFromFirst);
    }

    [Fact]
    public async Task Stopping_one_silo_leaves_a_cluster_that_still_serves_every_grain()
    {
        var (first, second) = await TwoProbesOnDifferentSilos();
        var doomedSilo = await _cluster.Grains.GetGrain<IClusterProbeGrain>(second).Silo();
        var doomed = _cluster.Silos.Single(s => Identity(s) == doomedSilo);

        await _cluster.StopSilo(doomed);

        var survivor = Identity(_cluster.Silos.Single());
        await Eventually.True(async () => await _cluster.Grains.GetGrain<IClusterProbeGrain>(second).Silo() == survivor,
            "the probe that lived on the stopped silo is re-activated on the survivor");
        Assert.Equal(survivor, await _cluster.Grains.GetGrain<IClusterProbeGrain>(first).SiloOf(second));
    }

    private async Task<(long First, long Second)> TwoProbesOnDifferentSilos()
    {
        var management = _cluster.Grains.GetGrain<IManagementGrain>(0);
        await Eventually.True(async () => (await management.GetHosts(onlyActive: true)).Count == 2, "both silos are active members");
        var silos = new Dictionary<string, long>();
        for (long key = 0; key < 1000 && silos.Count < 2; key++)
        {
            silos.TryAdd(await _cluster.Grains.GetGrain<IClusterProbeGrain>(key).Silo(), key);
        }
        Assert.True(silos.Count == 2, "probes were placed on both silos");
        return (silos.Values.First(), silos.Values.Last());
    }

    private static string Identity(Microsoft.Extensions.Hosting.IHost silo) =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Orleans.Runtime.ILocalSiloDetails>(silo.Services).SiloAddress.ToString();
}
