using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Realtime.Charts;
using Realtime.Hosting;
using Realtime.Presence;
using Realtime.Quotes;
using Realtime.Services;
using Realtime.Users;
using Realtime.Watchlist;

namespace Realtime.Registration;

public static class RealtimeGrainsServiceCollectionExtensions
{
    /// <summary>Registers the handler registries, the built-in handlers, the service dispatcher and the queue keeper.</summary>
    public static IServiceCollection AddRealtimeGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddPlacementDirector<SymbolPlacement, SymbolPlacementDirector>();
        services.AddSingleton<HandlerRegistryValidator>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<HandlerRegistryValidator>());
        services.AddSingleton<IStartupCheck>(sp => sp.GetRequiredService<HandlerRegistryValidator>());
        services.TryAddSingleton(sp => new HandlerRegistry<IUserMessageHandler>(sp.GetServices<IUserMessageHandler>(), "user message"));
        services.TryAddSingleton(sp => new HandlerRegistry<IServiceMessageHandler>(sp.GetServices<IServiceMessageHandler>(), "service message"));

        services.AddUserMessageHandler<PingHandler>();
        services.AddUserMessageHandler<SymbolsHandler>();
        services.AddUserMessageHandler<ChartRequestHandler>();
        services.AddUserMessageHandler<TickerRequestHandler>();
        services.AddUserMessageHandler<PresenceHandler>();
        services.AddUserMessageHandler<ChartHistoryHandler>();
        services.AddServiceMessageHandler<SiteServiceHandler>();
        services.AddServiceMessageHandler<QuoteServiceHandler>();
        services.AddServiceMessageHandler<BarsServiceHandler>();

        services.AddOptions<QuoteHistoryOptions>();
        services.AddOptions<BarCloseOptions>();
        services.TryAddSingleton<BarClock>();
        services.TryAddSingleton<QuoteStoreKeys>();
        services.TryAddSingleton<QuoteHistoryStore>();

        services.TryAddSingleton<SiteCommands>();
        services.TryAddSingleton<ServiceDispatcher>();
        services.TryAddSingleton<ServiceMetrics>();
        services.TryAddSingleton<UserMetrics>();
        services.TryAddSingleton<QuoteMetrics>();
        services.AddHostedService<ServiceQueueKeeper>();
        return services;
    }

    public static IServiceCollection AddUserMessageHandler<THandler>(this IServiceCollection services)
        where THandler : class, IUserMessageHandler =>
        services.AddSingleton<IUserMessageHandler, THandler>();

    public static IServiceCollection AddServiceMessageHandler<THandler>(this IServiceCollection services)
        where THandler : class, IServiceMessageHandler =>
        services.AddSingleton<IServiceMessageHandler, THandler>();
}
