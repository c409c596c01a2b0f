using Realtime.Bench.Peer;

// The benchmark's peer: ASP.NET Core SignalR with its Redis backplane doing our server's job as plainly as that
// stack does it. Configuration: environment variables (Peer__Redis, Peer__Queue, Urls, ...) or the command line.
PeerApplication.Build(args).Run();
