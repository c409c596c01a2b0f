using Microsoft.Extensions.Options;
using Realtime.Gateway.Api;
using Realtime.Gateway.Authentication;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Presence;
using Realtime.Gateway.Security;
using Realtime.Gateway.Udf;
using Realtime.Hosting;
using Realtime.Hosting.Operations;
using Realtime.Quotes;

namespace Realtime.Gateway;

/// <summary>Wires the gateway: an Orleans client, Django-session login, the WebSocket endpoint and health checks.</summary>
public static class GatewayApplication
{
    /// <summary>Builds the gateway; <paramref name="configure"/> lets tests add configuration before services are read.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        builder.Services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DjangoSessionOptions>().Bind(builder.Configuration.GetSection("Django"))
            .Validate(o => !string.IsNullOrEmpty(o.SecretKey), "Django:SecretKey must be set to the Django site's SECRET_KEY")
            .ValidateOnStart();
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.AddRealtimeClient();
        builder.AddRealtimeOperations();
        builder.AddShutdownDeadline(Deadline(builder.Configuration));
        builder.Services.AddHealthChecks().AddCheck<DrainHealthCheck>("drain", tags: [OperationsExtensions.ReadyTag]);
        // A Django session key is 32 characters, but a client sending a far longer one must get the documented 401,
        // not Kestrel's 414: room for a 16 KB request line (the header limit, 32 KB, already fits a 10 KB cookie).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestLineSize = 16 * 1024);

        builder.Services.AddBoundedResponseBuffer();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<TopicSubscriptions>();
        builder.Services.AddSingleton<GatewayObserver>();
        builder.Services.AddSingleton<GatewayIdentity>();
        builder.Services.AddSingleton<SessionAuthenticator>();
        builder.Services.AddSingleton<OriginPolicy>();
        builder.Services.AddHostedService<SessionStoreConnection>();
        builder.Services.AddSingleton(sp => new DjangoSessionDecoder(sp.GetRequiredService<IOptions<DjangoSessionOptions>>().Value));
        builder.Services.AddSingleton<GatewayDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewayDrain>());
        builder.Services.AddSingleton<GatewayRegistration>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewayRegistration>());
        builder.Services.AddHostedService<PresenceReporter>();
        builder.Services.AddSingleton<ApiKey>();
        builder.Services.AddSingleton<GatewayCountChangedHandler>(sp => (_, _) => sp.GetRequiredService<GatewayRegistration>().OnClusterChanged());

        var app = builder.Build();
        app.UseWebSockets();
        app.UseBoundedSocketSendBuffer();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapRealtimeWebSocket();
        app.MapSessionStatus();
        app.MapUdf();
        app.MapRealtimeOperations();
        if (app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.Enabled)
        {
            app.MapRealtimeApi();
        }
        if (app.Configuration.GetValue<bool>($"{GatewayOptions.Section}:{nameof(GatewayOptions.DemoLogin)}"))
        {
            app.MapDemoLogin();
        }
        return app;
    }

    /// <summary>
    /// The drain, then 10 s for the rest (the cluster client's goodbye, Kestrel); anything still running 5 s after
    /// that is cut short. With the default 5 s drain: 15 s and 20 s.
    /// </summary>
    private static ShutdownDeadline Deadline(IConfiguration configuration)
    {
        var drain = TimeSpan.FromSeconds(configuration.GetValue($"{GatewayOptions.Section}:{nameof(GatewayOptions.DrainSeconds)}", GatewayOptions.DefaultDrainSeconds));
        var graceful = drain + TimeSpan.FromSeconds(10);
        return new ShutdownDeadline(graceful, graceful + TimeSpan.FromSeconds(5));
    }
}
