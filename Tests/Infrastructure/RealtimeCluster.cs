using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Realtime.Gateway;
using Realtime.Hosting;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// A whole deployment inside the test process, wired exactly as the Silo and Gateway programs wire it: silo hosts
/// and gateways on Redis clustering against a real Redis, with a cluster id, service id and queue name of their own
/// so test classes never see each other's grains or messages.
/// </summary>
public sealed class RealtimeCluster : IAsyncDisposable
{
    public const string DjangoSecretKey = "rts-test-secret-key-0123456789abcdefghijklmnop";

    private readonly List<IHost> _silos = [];
    private readonly List<WebApplication> _gateways = [];
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];

    public RealtimeCluster(RedisServer redis)
    {
        Redis = redis;
        Queue = $"queue:test:{_id}";
    }

    public RedisServer Redis { get; }

    public string Queue { get; }

    public string ClusterId => $"test-{_id}";

    public IReadOnlyList<IHost> Silos => _silos;

    public IReadOnlyList<WebApplication> Gateways => _gateways;

    /// <summary>Configuration shared by every process of this cluster.</summary>
    public Dictionary<string, string?> SharedSettings() => new()
    {
        ["Cluster:Redis"] = Redis.ConnectionString,
        ["Cluster:Clustering"] = "Redis",
        ["Cluster:ClusterId"] = ClusterId,
        ["Cluster:ServiceId"] = $"svc-{_id}",
        ["ServiceQueue:Queues:0"] = Queue,
        ["Django:SecretKey"] = DjangoSecretKey,
        ["Django:SecretKeyFallbacks:0"] = "rts-old-secret-key-rotated-away-000000000000",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>Services every silo of this cluster adds after the product's own (test handlers, for instance).</summary>
    public Action<IServiceCollection>? ConfigureSiloServices { get; init; }

    /// <summary>Changes every gateway of this cluster makes to its builder after the test settings (logging, for instance).</summary>
    public Action<WebApplicationBuilder>? ConfigureGateway { get; init; }

    public async Task<IHost> StartSilo(IDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = SharedSettings();
        settings["Cluster:SiloPort"] = FreePort.Next().ToString();
        settings["Cluster:GatewayPort"] = FreePort.Next().ToString();
        Override(settings, overrides);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddConsole();
        builder.AddRealtimeSilo();
        ConfigureSiloServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        _silos.Add(host);
        return host;
    }

    public async Task<WebApplication> StartGateway(IDictionary<string, string?>? overrides = null)
    {
        var app = GatewayApplication.Build([], builder =>
        {
            var settings = SharedSettings();
            settings["Urls"] = "http://127.0.0.1:0";
            // Every test stops its gateways; a drain period would add its length to each of them. The drain itself
            // is tested on a gateway process (GatewayShutdownTests).
            settings["Gateway:DrainSeconds"] = "0";
            Override(settings, overrides);
            builder.Configuration.AddInMemoryCollection(settings);
            ConfigureGateway?.Invoke(builder);
        });
        await app.StartAsync();
        _gateways.Add(app);
        return app;
    }

    public IGrainFactory Grains => (IGrainFactory?)_gateways.FirstOrDefault()?.Services.GetService<IClusterClient>()
        ?? _silos[0].Services.GetRequiredService<IGrainFactory>();

    public static Uri WebSocketUri(WebApplication gateway, string? sessionId = null)
    {
        var uri = new UriBuilder(Address(gateway)) { Scheme = "ws", Path = "/ws" };
        if (sessionId is not null)
        {
            uri.Query = "sessionid=" + Uri.EscapeDataString(sessionId);
        }
        return uri.Uri;
    }

    public static Uri HttpUri(WebApplication gateway, string path) => new(new Uri(Address(gateway)), path);

    private static string Address(WebApplication gateway) =>
        gateway.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();

    /// <summary>Applies a test's settings; a null value removes the key, as if it were never configured.</summary>
    private static void Override(Dictionary<string, string?> settings, IDictionary<string, string?>? overrides)
    {
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }
    }

    public async Task StopSilo(IHost silo)
    {
        await silo.StopAsync();
        silo.Dispose();
        _silos.Remove(silo);
    }

    public async Task StopGateway(WebApplication gateway)
    {
        await gateway.StopAsync();
        await gateway.DisposeAsync();
        _gateways.Remove(gateway);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in _gateways.ToArray())
        {
            await StopGateway(gateway);
        }
        foreach (var silo in Enumerable.Reverse(_silos.ToArray()))
        {
            try
            {
                await silo.StopAsync(TimeSpan.FromSeconds(10));
            }
            finally
            {
                silo.Dispose();
            }
        }
        _silos.Clear();
    }
}
