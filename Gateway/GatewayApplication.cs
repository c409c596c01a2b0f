using Realtime.Hosting;
using Realtime.Hosting.Operations;

namespace Realtime.Gateway;

/// <summary>The gateway process: an Orleans client of the silos with the WebSocket front door and health checks.</summary>
public static class GatewayApplication
{
    /// <summary>Builds the gateway; <paramref name="configure"/> lets tests add configuration before services are read.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.AddRealtimeClient();
        builder.AddRealtimeOperations();
        builder.AddRealtimeGateway();
        builder.AddShutdownDeadline(GatewayHostingExtensions.GatewayDeadline(builder.Configuration));

        var app = builder.Build();
        app.UseRealtimeGateway();
        app.MapRealtimeOperations();
        return app;
    }
}
