using Realtime.Charts;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Storage;
using Orleans.Dashboard;
using Realtime.Backends;
using Realtime.Hosting.Operations;
using Realtime.Quotes;
using Realtime.Registration;
using Realtime.Services;
using StackExchange.Redis;

namespace Realtime.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>The grain storage that grain state (topics' gateways, quote centres' listeners) persists in.</summary>
    public const string StateStore = "redis";

    /// <summary>Hosts a silo configured from the <c>Cluster</c> and <c>ServiceQueue</c> sections.</summary>
    public static IHostApplicationBuilder AddRealtimeSilo(this IHostApplicationBuilder builder)
    {
        var cluster = builder.AddValidatedClusterOptions();
        builder.Services.AddOptions<ServiceQueueOptions>()
            .BindConfiguration(ServiceQueueOptions.Section)
            .PostConfigure(o => o.Queues = o.Queues.Length == 0 ? [ServiceQueueOptions.DefaultQueue] : o.Queues)
            .ValidateDataAnnotations()
            .Validate(o => o.Queues.All(q => !string.IsNullOrWhiteSpace(q)), "ServiceQueue:Queues must not hold an empty name")
            .ValidateOnStart();
        builder.Services.AddOptions<QuoteHistoryOptions>()
            .BindConfiguration(QuoteHistoryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<BarCloseOptions>()
            .BindConfiguration(BarCloseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // One connection per process for everything but the pump's blocking wait (which would stall a shared one).
        builder.Services.AddSingleton(_ => RedisConnection.Connect(cluster.Redis, "silo"));
        builder.Services.AddRealtimeGrains();
        builder.Services.AddBackendForwarding(builder.Configuration, ReplyQueue(builder.Configuration));

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(cluster.ProbeTimeoutSeconds);
                o.NumMissedProbesLimit = 2;
            });
            // A gateway process that vanished is dropped after this long, so pushes to its connections fail fast
            // (and user grains forget them) instead of waiting out Orleans' default minute for it to come back.
            silo.Configure<SiloMessagingOptions>(o => o.ClientDropTimeout = TimeSpan.FromSeconds(5));
            if (cluster.Clustering == ClusteringMode.Localhost)
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, null, cluster.ServiceId, cluster.ClusterId);
            }
            else
            {
                silo.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Configure(cluster.Redis));
                silo.Services.AddOptions<RedisClusteringOptions>()
                    .Configure<IConnectionMultiplexer>((o, redis) => o.CreateMultiplexer = RedisConnection.Shared<RedisClusteringOptions>(redis));
                ConfigureEndpoints(silo, cluster);
            }
            silo.AddRedisGrainStorage(StateStore, storage => ConfigureStorage(storage, cluster));
            if (builder.Configuration.GetValue<bool>($"{OperationsOptions.Section}:{nameof(OperationsOptions.Dashboard)}"))
            {
                silo.AddDashboard();
            }
        });
        return builder;
    }

    /// <summary>
    /// Grain state holds grain and observer references, which only Orleans' own serializer round-trips; keys are
    /// prefixed with the service id so deployments sharing a Redis never read each other's state.
    /// </summary>
    private static void ConfigureStorage(OptionsBuilder<RedisStorageOptions> storage, RealtimeClusterOptions cluster)
    {
        storage.Configure<IServiceProvider>((options, services) =>
        {
            options.ConfigurationOptions = RedisConnection.Configure(cluster.Redis);
            options.CreateMultiplexer = RedisConnection.Shared<RedisStorageOptions>(services.GetRequiredService<IConnectionMultiplexer>());
            options.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(services);
        });
        storage.UseGetRedisKeyIgnoringGrainType();
    }

    private static void ConfigureEndpoints(ISiloBuilder silo, RealtimeClusterOptions cluster)
    {
        if (string.Equals(cluster.AdvertisedIP, RealtimeClusterOptions.OwnAddress, StringComparison.OrdinalIgnoreCase))
        {
            // Orleans' own choice when no address is given: the lowest non-loopback IPv4 address of an interface that
            // is up, which in a container is the container's IP. It fails the start when there is none.
            silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            return;
        }
        silo.ConfigureEndpoints(AdvertisedAddress(cluster), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: cluster.AdvertisedIP is not null);
    }

    /// <summary>The queue backends answer forwarded messages on: this deployment's first service queue.</summary>
    private static string ReplyQueue(IConfiguration configuration) =>
        configuration.GetSection($"{ServiceQueueOptions.Section}:{nameof(ServiceQueueOptions.Queues)}").Get<string[]>() is [{ Length: > 0 } first, ..]
            ? first
            : ServiceQueueOptions.DefaultQueue;

    internal static IPAddress AdvertisedAddress(RealtimeClusterOptions cluster) =>
        cluster.AdvertisedIP is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
}
