using Realtime.QuoteFeed;

// Producer-side tools of Realtime.Orleans: the demo quote feed and the indicator calculator (see Usage).
using var shutdown = new ShutdownSignal();
return await CommandLine.Run(args, Console.In, Console.Out, Console.Error, shutdown.Token);
