using Orleans.Dashboard;
using Realtime.Gateway;
using Realtime.Hosting;
using Realtime.Hosting.Operations;
using Realtime.Silo;

// A silo process: grains and the service-queue pumps, and with Silo:EmbeddedGateway the WebSocket front door too.
// Configuration: appsettings.json beside the program, then environment variables (Cluster__Redis, Cluster__SiloPort,
// ...), then the command line; README lists the keys. A wrong setting ends it with one line naming the key and exit
// code 2.
return ProgramHost.Run(() =>
{
    // The content root is the program's folder, so its appsettings.json applies from whatever directory it is started.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
    builder.AddRealtimeSilo();
    builder.AddRealtimeOperations();
    if (options.EmbeddedGateway)
    {
        builder.AddRealtimeGateway();
    }
    // Grains get 20 s to deactivate and the silo to leave the cluster (a healthy one takes about 1 s); whatever still
    // runs at 23 s (a membership update Orleans retries for minutes while Redis is down) is cut short, so the process
    // is gone within Kubernetes' default 30 s grace with room to exit (which took up to 1.9 s on a loaded machine).
    // An embedded gateway's drain comes first (hosted services stop in reverse order) and fits in the same 20 s.
    // README documents both.
    builder.AddShutdownDeadline(new(Graceful: TimeSpan.FromSeconds(20), Limit: TimeSpan.FromSeconds(23)));

    var app = builder.Build();
    if (options.EmbeddedGateway)
    {
        app.UseRealtimeGateway();
    }
    app.MapRealtimeOperations();
    if (app.Configuration.GetValue<bool>($"{OperationsOptions.Section}:{nameof(OperationsOptions.Dashboard)}"))
    {
        app.MapOrleansDashboard(routePrefix: "/dashboard");
    }
    return app;
});
