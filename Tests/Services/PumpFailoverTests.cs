using Realtime.Services;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Services;

/// <summary>The pump across real silo processes: one pump per queue, and nothing lost when its silo is killed.</summary>
public sealed class PumpFailoverTests : IAsyncLifetime
{
    private const int Burst = 10_000;

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private readonly List<ProductProcess> _silos = [];
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        _silos.Add(await ProductProcess.StartSilo(_cluster));
        _silos.Add(await ProductProcess.StartSilo(_cluster));
        _gateway = await _cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:SendQueueCapacity"] = "100000" });
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_silos_run_exactly_one_pump_for_the_queue()
    {
        var pump = _cluster.Grains.GetGrain<IServiceQueuePumpGrain>(_cluster.Queue);
        await Eventually.True(async () => await _cluster.Redis.Database.SetLengthAsync(new ServiceQueueKeys(_cluster.Queue).Consumers) == 1,
            "one consumer registered");
        var first = await pump.GetStatus();

        // Both silos' keepers poke the pump every two seconds; it must stay one activation.
        await Task.Delay(TimeSpan.FromSeconds(5)); // a window for a second pump to appear, not synchronisation

        Assert.Equal(1, await _cluster.Redis.Database.SetLengthAsync(new ServiceQueueKeys(_cluster.Queue).Consumers));
        Assert.Equal(first.Silo, (await pump.GetStatus()).Silo);
    }

    [Fact]
    public async Task A_silo_killed_mid_burst_of_ten_thousand_messages_loses_none()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");
        var received = new HashSet<int>();
        var producer = new ServiceQueueClient(_cluster.Redis.Connection, "tests");
        var pump = _cluster.Grains.GetGrain<IServiceQueuePumpGrain>(_cluster.Queue);
        var pumpSilo = (await pump.GetStatus()).Silo;
        var victim = _silos.Single(s => pumpSilo.Contains($":{s.SiloPort}:") || pumpSilo.Contains($":{s.SiloPort}@"));

        for (var start = 0; start < Burst; start += 500)
        {
            await producer.PushMany(_cluster.Queue, "site", Enumerable.Range(start, 500)
                .Select(n => new { action = "push", users = new[] { "42" }, message = new { type = "burst", data = new { n } } }));
            if (start == 2_000)
            {
                await Drain(client, received, atLeast: 500);
                await victim.Kill();
            }
        }

        await Drain(client, received, atLeast: Burst, TimeSpan.FromSeconds(120));
        Assert.Equal(Burst, received.Count);
        Assert.Equal(Enumerable.Range(0, Burst), received.Order());
    }

    private static async Task Drain(Connected client, HashSet<int> received, int atLeast, TimeSpan? timeout = null)
    {
        while (received.Count < atLeast)
        {
            var frame = await client.Next("burst", timeout ?? TimeSpan.FromSeconds(60));
            received.Add(frame.GetProperty("data").GetProperty("n").GetInt32());
        }
    }
}
