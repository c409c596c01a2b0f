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
    // Grains get 30 s to deactivate and the silo to leave the cluster; whatever still runs at 40 s (a membership
    // update Orleans retries for minutes while Redis is down) is cut short. README documents both.
    builder.AddShutdownDeadline(new(Graceful: TimeSpan.FromSeconds(30), Limit: TimeSpan.FromSeconds(40)));

    var app = builder.Build();
    app.MapRealtimeOperations();
    if (app.Configuration.GetValue<bool>($"{OperationsOptions.Section}:{nameof(OperationsOptions.Dashboard)}"))
    {
        app.MapOrleansDashboard(routePrefix: "/dashboard");
    }
    return app;
});
