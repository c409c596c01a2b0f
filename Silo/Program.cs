using Realtime.Hosting;

// A silo process: grains, the service-queue pumps, nothing user-facing. Configuration: appsettings.json, then
// environment variables (Cluster__Redis, Cluster__SiloPort, ...), then the command line; README lists the keys.
var builder = WebApplication.CreateBuilder(args);
builder.AddRealtimeSilo();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

var app = builder.Build();
app.MapGet("/healthz", () => Results.Text("ok"));
app.Run();
