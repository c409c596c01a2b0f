using Orleans.Dashboard;
using Realtime.Hosting;
using Realtime.Hosting.Operations;

// A silo process: grains, the service-queue pumps, nothing user-facing. Configuration: appsettings.json, then
// environment variables (Cluster__Redis, Cluster__SiloPort, ...), then the command line; README lists the keys.
var builder = WebApplication.CreateBuilder(args);
builder.AddRealtimeSilo();
builder.AddRealtimeOperations();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

var app = builder.Build();
app.MapRealtimeOperations();
if (app.Configuration.GetValue<bool>($"{OperationsOptions.Section}:{nameof(OperationsOptions.Dashboard)}"))
{
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}
app.Run();
