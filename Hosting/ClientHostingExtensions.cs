using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Realtime.Hosting;

public static class ClientHostingExtensions
{
    /// <summary>Connects to the cluster named in the <c>Cluster</c> section as an Orleans client (a gateway process).</summary>
    public static IHostApplicationBuilder AddRealtimeClient(this IHostApplicationBuilder builder)
    {
        var cluster = builder.AddValidatedClusterOptions();
        // One connection per process for everything but the pump's blocking wait (which would stall a shared one).
        builder.Services.AddSingleton(_ => RedisConnection.Connect(cluster.Redis, "gateway"));
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            if (cluster.Clustering == ClusteringMode.Localhost)
            {
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            }
            else
            {
                client.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Configure(cluster.Redis));
                client.Services.AddOptions<RedisClusteringOptions>()
                    .Configure<IConnectionMultiplexer>((o, redis) => o.CreateMultiplexer = RedisConnection.Shared<RedisClusteringOptions>(redis));
            }
        });
        return builder;
    }
}
