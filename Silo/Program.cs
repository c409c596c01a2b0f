using Orleans.Dashboard;
using Realtime.Gateway;
using Realtime.Hosting;
using Realtime.Hosting.Operations;
using Realtime.Silo;

// A silo process: grains and the service-queue pumps, and with Silo:EmbeddedGateway the WebSocket front door too.
// Configuration: appsettings.json beside the program, then environment variables (Cluster__Redis, Cluster__SiloPort,
// ...), then the command line; README lists the keys.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
builder.AddRealtimeSilo();
builder.AddRealtimeOperations();
if (options.EmbeddedGateway)
{
    builder.AddRealtimeGateway();
}
// Grains get 30 s to deactivate and the silo to leave the cluster; whatever still runs at 40 s (a membership update
// Orleans retries for minutes while Redis is down) is cut short. README documents both. An embedded gateway's drain
// comes first (hosted services stop in reverse order) and fits in the same 30 s.
builder.AddShutdownDeadline(new(Graceful: TimeSpan.FromSeconds(30), Limit: TimeSpan.FromSeconds(40)));

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
app.EnforceShutdownDeadline();
app.Run();
