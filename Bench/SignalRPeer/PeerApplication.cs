using StackExchange.Redis;

namespace Realtime.Bench.Peer;

/// <summary>Wires the peer: SignalR with the Redis backplane, the hub, the queue pump and a health check.</summary>
public static class PeerApplication
{
    /// <summary>Builds the peer; <paramref name="configure"/> lets tests add configuration before services are read.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var options = builder.Configuration.GetSection(PeerOptions.Section).Get<PeerOptions>() ?? new();
        builder.Services.Configure<PeerOptions>(builder.Configuration.GetSection(PeerOptions.Section));
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options.Redis));
        builder.Services.AddSignalR().AddStackExchangeRedis(options.Redis, redis => redis.Configuration.ChannelPrefix = RedisChannel.Literal(options.ChannelPrefix));
        builder.Services.AddHostedService<QuoteQueuePump>();

        var app = builder.Build();
        app.MapHub<QuoteHub>(QuoteHub.Path);
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }
}
