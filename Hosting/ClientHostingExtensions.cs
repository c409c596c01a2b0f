using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Realtime.Hosting;

public static class ClientHostingExtensions
{
    /// <summary>Connects to the cluster named in the <c>Cluster</c> section as an Orleans client (a gateway process).</summary>
    public static IHostApplicationBuilder AddRealtimeClient(this IHostApplicationBuilder builder)
    {
        var cluster = builder.AddValidatedClusterOptions();
        builder.Services.AddSingleton(_ => RedisConnection.Connect(cluster.Redis));
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
            }
            client.AddMemoryStreams(StreamNames.Provider);
        });
        return builder;
    }
}
