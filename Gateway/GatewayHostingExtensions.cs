using Microsoft.Extensions.Options;
using Realtime.Gateway.Api;
using Realtime.Gateway.Authentication;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Presence;
using Realtime.Gateway.Security;
using Realtime.Gateway.Udf;
using Realtime.Gateway.WebSockets;
using Realtime.Hosting;
using Realtime.Hosting.Operations;

namespace Realtime.Gateway;

/// <summary>
/// The WebSocket front door as parts a host adds: to a gateway process (an Orleans client of the silos,
/// <see cref="GatewayApplication"/>) or to a silo process that serves browsers itself (the embedded topology).
/// Either way it reaches grains through the host's <see cref="IGrainFactory"/>; it does not care which host it is in.
/// </summary>
public static class GatewayHostingExtensions
{
    /// <summary>
    /// Options, Django-session login, connections, the drain and the gateway's registration. The host adds the
    /// cluster (an Orleans client or a silo), the operations endpoints and the shutdown deadline.
    /// </summary>
    public static WebApplicationBuilder AddRealtimeGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DjangoSessionOptions>().Bind(builder.Configuration.GetSection("Django"))
            .Validate(o => !string.IsNullOrEmpty(o.SecretKey), "Django:SecretKey must be set to the Django site's SECRET_KEY")
            .ValidateOnStart();
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHealthChecks().AddCheck<DrainHealthCheck>("drain", tags: [OperationsExtensions.ReadyTag]);
        // A Django session key is 32 characters, but a client sending a far longer one must get the documented 401,
        // not Kestrel's 414: room for a 16 KB request line (the header limit, 32 KB, already fits a 10 KB cookie).
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            kestrel.ConfigureEndpointDefaults(listen => listen.UseDirectUpgrade());
        });

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
        builder.Services.AddSingleton<WebSocketAdmission>();
        builder.Services.AddSingleton<WebSocketSessions>();
        builder.Services.AddSingleton<DirectUpgrade>();
        builder.Services.AddSingleton<GatewayDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewayDrain>());
        builder.Services.AddSingleton<GatewayRegistration>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewayRegistration>());
        builder.Services.AddHostedService<PresenceReporter>();
        builder.Services.AddHostedService<HeartbeatSweeper>();
        builder.Services.AddSingleton<ApiKey>();
        builder.Services.AddSingleton<GatewayCountChangedHandler>(sp => (_, _) => sp.GetRequiredService<GatewayRegistration>().OnClusterChanged());
        return builder;
    }

    /// <summary>The WebSocket endpoint, the session check, static files (the client library and demo), UDF and the HTTP API.</summary>
    public static WebApplication UseRealtimeGateway(this WebApplication app)
    {
        app.UseSendBatches(WebSocketEndpoint.Path);
        app.UseWebSockets();
        app.UseBoundedSocketSendBuffer();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapRealtimeWebSocket();
        app.MapSessionStatus();
        app.MapUdf();
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
    public static ShutdownDeadline GatewayDeadline(IConfiguration configuration)
    {
        var drain = TimeSpan.FromSeconds(configuration.GetValue($"{GatewayOptions.Section}:{nameof(GatewayOptions.DrainSeconds)}", GatewayOptions.DefaultDrainSeconds));
        var graceful = drain + TimeSpan.FromSeconds(10);
        return new ShutdownDeadline(graceful, graceful + TimeSpan.FromSeconds(5));
    }
}
