using Realtime.Bench.Measurement;
using Realtime.Bench.Scenarios;
using StackExchange.Redis;

namespace Realtime.Bench.Runner;

/// <summary>
/// Runs the scenarios against one server, each on freshly started server processes and an empty Redis, so no
/// scenario measures what an earlier one left behind (heaps grown by 20,000 connections, connections still
/// being cleaned up, history in Redis). The pump's consumer is warmed up before it is timed.
/// </summary>
internal sealed class Suite(SuiteSettings settings, IConnectionMultiplexer redis, TextWriter progress)
{
    private static readonly TimeSpan PumpTimeout = TimeSpan.FromMinutes(3);

    public async Task<ServerResults> Run(Func<IDeployment> deploy, CancellationToken cancellationToken)
    {
        ServerResults? results = null;
        foreach (var scenario in new[] { "pump", "idle", "latency", "fanout" }.Where(settings.Runs))
        {
            await redis.GetServers()[0].FlushAllDatabasesAsync();
            await using var deployment = deploy();
            results ??= new ServerResults(deployment.Name);
            switch (scenario)
            {
                case "pump":
                    results.Pump = await Pump(deployment, cancellationToken);
                    break;
                case "idle":
                    await Start(deployment, settings.IdleConnections);
                    results.Idle = await Idle(deployment.Target, cancellationToken);
                    break;
                case "latency":
                    await Start(deployment, settings.Latency.Clients);
                    results.Latency = await Stream(deployment.Target, settings.Latency, cancellationToken);
                    break;
                case "fanout":
                    await Start(deployment, settings.FanOut.Clients);
                    results.FanOut = await Stream(deployment.Target, settings.FanOut, cancellationToken);
                    break;
            }
            // The generator shares the machine: its garbage from thousands of clients must not be collected during
            // the next scenario's measurement.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        return results ?? throw new ArgumentException("--scenarios names none of pump, idle, latency, fanout");
    }

    private static async Task Start(IDeployment deployment, int clients)
    {
        await deployment.StartConsumer();
        await deployment.StartFrontDoor(clients + 100);
    }

    private async Task<PumpResult> Pump(IDeployment deployment, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        await deployment.StartConsumer();
        progress.WriteLine($"[{deployment.Name}] pump: warming up on {settings.PumpWarmup:N0} quotes");
        await PumpScenario.Load(db, SuiteSettings.Queue, "PUMP", settings.PumpSymbols, settings.PumpWarmup, firstSeq: 0);
        await QueueProbe.WaitDrained(db, SuiteSettings.Queue, PumpTimeout, TimeSpan.FromSeconds(1));
        progress.WriteLine($"[{deployment.Name}] pump: {settings.PumpMessages:N0} quotes onto the queue at once");
        await PumpScenario.Load(db, SuiteSettings.Queue, "PUMP", settings.PumpSymbols, settings.PumpMessages, firstSeq: settings.PumpWarmup);
        var result = await PumpScenario.MeasureDrain(db, SuiteSettings.Queue, deployment.Name, settings.PumpMessages, PumpTimeout, cancellationToken);
        progress.WriteLine($"[{deployment.Name}] pump: {result.MessagesPerSecond:N0} messages/s");
        return result;
    }

    private async Task<IdleResult> Idle(BenchTarget target, CancellationToken cancellationToken)
    {
        progress.WriteLine($"[{target.Name}] idle: opening {settings.IdleConnections:N0} connections" +
            (settings.IdleHold > TimeSpan.Zero ? $", held {settings.IdleHold.TotalSeconds:F0} s after measuring; holder pid {target.ConnectionHolder?.Pid}" : ""));
        var result = await IdleScenario.Run(target, settings.IdleConnections, settings.IdleHold, cancellationToken);
        progress.WriteLine($"[{target.Name}] idle: {result.KiBPerConnection:F1} KiB per connection ({result.Connected:N0} in {result.ConnectTime.TotalSeconds:F1} s)");
        return result;
    }

    private async Task<StreamResult> Stream(BenchTarget target, StreamSettings stream, CancellationToken cancellationToken)
    {
        progress.WriteLine($"[{target.Name}] {stream.Name}: {stream.Describe()}, {stream.Warmup.TotalSeconds:F0} s warm-up + {stream.Duration.TotalSeconds:F0} s measured");
        var result = await StreamScenario.Run(target, stream, cancellationToken);
        progress.WriteLine($"[{target.Name}] {result.Row()}");
        progress.WriteLine($"[{target.Name}]   CPU: {result.CpuBreakdown}" +
            (result.FirstFailure is null ? "" : $"; first failure: {result.FirstFailure}"));
        if (result.StageBreakdown is { } stages)
        {
            progress.WriteLine($"[{target.Name}]   latency stages: {stages}");
        }
        return result;
    }
}
