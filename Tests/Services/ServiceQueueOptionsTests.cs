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
}
