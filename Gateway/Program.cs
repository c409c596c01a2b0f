using Realtime.Gateway;
using Realtime.Hosting;

// The WebSocket front door, an Orleans client of the silos. Configuration: appsettings.json, then environment
// variables (Cluster__Redis, Django__SecretKey, Gateway__MaxFrameBytes, ...), then the command line.
var app = GatewayApplication.Build(args);
app.EnforceShutdownDeadline();
app.Run();
