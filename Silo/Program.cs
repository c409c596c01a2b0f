using Orleans.Dashboard;
using Realtime.Hosting;
using Realtime.Hosting.Operations;

// A silo process: grains, the service-queue pumps, nothing user-facing. Configuration: appsettings.json beside the
// program, then environment variables (Cluster__Redis, Cluster__SiloPort, ...), then the command line; README lists
// the keys. A wrong setting ends it with one line naming the key and exit code 2.
return ProgramHost.Run(() =>
{
    // The content root is the program's folder, so its appsettings.json applies from whatever directory it is started.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddRealtimeSilo();
    builder.AddRealtimeOperations();
    // Grains get 20 s to deactivate and the silo to leave the cluster (a healthy one takes about 1 s); whatever still
    // runs at 23 s (a membership update Orleans retries for minutes while Redis is down) is cut short, so the process
    // is gone within Kubernetes' default 30 s grace with room to exit (which took up to 1.9 s on a loaded machine).
    // README documents both.
    builder.AddShutdownDeadline(new(Graceful: TimeSpan.FromSeconds(20), Limit: TimeSpan.FromSeconds(23)));

    var app = builder.Build();
    app.MapRealtimeOperations();
    if (app.Configuration.GetValue<bool>($"{OperationsOptions.Section}:{nameof(OperationsOptions.Dashboard)}"))
    {
        app.MapOrleansDashboard(routePrefix: "/dashboard");
    }
    return app;
});
