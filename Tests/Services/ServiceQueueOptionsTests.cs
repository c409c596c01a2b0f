using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Realtime.Services;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Services;

public sealed class ServiceQueueOptionsTests
{
    [Fact]
    public async Task Configured_queues_replace_the_default_queue_instead_of_joining_it()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        var silo = await cluster.StartSilo();

        Assert.Equal([cluster.Queue], silo.Services.GetRequiredService<IOptions<ServiceQueueOptions>>().Value.Queues);
    }

    [Fact]
    public async Task Without_configured_queues_the_silo_pumps_queue_rtserver()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        var silo = await cluster.StartSilo(new Dictionary<string, string?> { ["ServiceQueue:Queues:0"] = null });

        Assert.Equal(["queue:rtserver"], silo.Services.GetRequiredService<IOptions<ServiceQueueOptions>>().Value.Queues);
    }

    [Fact]
    public async Task Every_configured_queue_is_pumped_and_any_process_can_push_to_it()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        var second = cluster.Queue + ":batch-jobs";
        await cluster.StartSilo(new Dictionary<string, string?> { ["ServiceQueue:Queues:1"] = second });
        var gateway = await cluster.StartGateway();
        await using var client = await Connected.As(cluster, gateway, "signed-small");

        await new ServiceQueueClient(cluster.Redis.Connection, "batch").Push(second, "site",
            new { action = "push", users = new[] { "42" }, message = new { type = "report", data = new { ready = true } } });

        Assert.True((await client.Next("report")).GetProperty("data").GetProperty("ready").GetBoolean());
    }
}
