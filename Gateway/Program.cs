using Realtime.Gateway;
using Realtime.Hosting;

// The WebSocket front door, an Orleans client of the silos. Configuration: appsettings.json, then environment
// variables (Cluster__Redis, Django__SecretKey, Gateway__MaxFrameBytes, ...), then the command line. A wrong setting
// ends it with one line naming the key and exit code 2.
return ProgramHost.Run(() => GatewayApplication.Build(args));
