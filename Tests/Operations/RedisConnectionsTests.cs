using Realtime.Hosting;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Operations;

/// <summary>
/// Each process opens one Redis connection, shared by its own code and Orleans' clustering and grain storage (which
/// would otherwise open one each), plus the pump's blocking wait: what an operator sees in <c>CLIENT LIST</c>.
/// </summary>
public sealed class RedisConnectionsTests
{
    [Fact]
    public async Task A_silo_and_a_gateway_each_hold_one_named_connection_and_nothing_else_but_the_pumps_wait()
    {
        await using var redis = RedisServer.StartPrivate();
        var before = (await Clients(redis)).Select(c => c.Id).ToHashSet();
        await using var cluster = new RealtimeCluster(redis);
        await using var silo = await ProductProcess.StartSilo(cluster);
        await using var gateway = await ProductProcess.StartGateway(cluster);
        using var http = new HttpClient();
        await Eventually.True(async () => (await http.GetAsync(gateway.Http("/readyz"))).IsSuccessStatusCode, "the gateway is ready", TimeSpan.FromSeconds(60));
        await Eventually.True(async () => (await Clients(redis)).Any(c => c.Name.StartsWith("pump:", StringComparison.Ordinal)),
            "the pump waits on the queue", TimeSpan.FromSeconds(30));

        var opened = (await Clients(redis)).Where(c => !before.Contains(c.Id)).ToList();
        var silos = opened.Count(c => c.Name == RedisConnection.ClientName("silo", silo.Pid));
        var gateways = opened.Count(c => c.Name == RedisConnection.ClientName("gateway", gateway.Pid));
        var pumps = opened.Count(c => c.Name.StartsWith("pump:", StringComparison.Ordinal));
        var others = opened.Where(c => c.Name != RedisConnection.ClientName("silo", silo.Pid)
            && c.Name != RedisConnection.ClientName("gateway", gateway.Pid) && !c.Name.StartsWith("pump:", StringComparison.Ordinal)).ToList();

        // One multiplexer is at most two sockets (commands, and subscriptions); the pump's wait needs one.
        var seen = string.Join("; ", opened);
        Assert.True(silos is 1 or 2, $"silo: {silos} ({seen})");
        Assert.True(gateways is 1 or 2, $"gateway: {gateways} ({seen})");
        Assert.True(pumps == 1, $"pump: {pumps} ({seen})");
        Assert.True(others.Count == 0, $"connections opened by neither process's shared connection: {string.Join("; ", others)}");
    }

    private sealed record Client(string Id, string Name, string Command);

    private static async Task<List<Client>> Clients(RedisServer redis)
    {
        var list = await RedisCli.Run(redis, "CLIENT", "LIST");
        return list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]))
            // redis-cli's own connection is not a process's.
            .Where(f => f["cmd"] != "client|list" && f["cmd"] != "client")
            .Select(f => new Client(f["id"], f["name"], f["cmd"]))
            .ToList();
    }
}
