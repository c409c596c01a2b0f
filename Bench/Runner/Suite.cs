using Realtime.Bench.Measurement;
using Realtime.Bench.Scenarios;
using StackExchange.Redis;

namespace Realtime.Bench.Runner;

/// <summary>
/// Runs the scenarios against one server, each on freshly started server processes and an empty Redis, so no
/// scenario measures what an earlier one left behind (heaps grown by 20,000 connections, connections still
/// being cleaned up, history in Redis). The pump's consumer is warmed up before it is timed. A scenario that cannot
/// finish is reported with its reason (and the tail of the servers' logs), tried again on fresh servers up to
/// --retries times (1 unless set), and the run goes on with the next one.
/// </summary>
internal sealed class Suite(SuiteSettings settings, IConnectionMultiplexer redis, TextWriter progress)
{
    private static readonly TimeSpan PumpTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan RedisReadyTimeout = TimeSpan.FromSeconds(30);
    private const int LogLinesReported = 5;

    public async Task<ServerResults> Run(string server, Func<IDeployment> deploy, CancellationToken cancellationToken)
    {
        var results = new ServerResults(server);
        foreach (var scenario in SuiteSettings.AllScenarios.Where(settings.Runs))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            for (var attempt = 0; attempt <= settings.Retries; attempt++)
            {
                if (attempt > 0)
                {
                    progress.WriteLine($"[{server}] {scenario}: trying again on fresh processes (attempt {attempt + 1} of {settings.Retries + 1})");
                }
                try
                {
                    if (await Attempt(scenario, deploy, results, cancellationToken))
                    {
                        break;
                    }
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C: the servers are stopped; what was measured so far is still reported.
                    results.Failures[scenario] = "stopped (Ctrl-C)";
                    progress.WriteLine($"[{server}] {scenario}: stopped (Ctrl-C)");
                    return results;
                }
            }
            if (results.Failures.ContainsKey(scenario))
            {
                progress.WriteLine($"[{server}] {scenario}: did not finish in {settings.Retries + 1} attempt(s); going on with the next scenario");
            }
            // The generator shares the machine: its garbage from thousands of clients must not be collected during
            // the next scenario's measurement.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        return results;
    }

    /// <summary>Runs one scenario on fresh servers; false (with the reason in the results) when it did not finish.</summary>
    private async Task<bool> Attempt(string scenario, Func<IDeployment> deploy, ServerResults results, CancellationToken cancellationToken)
    {
        try
        {
            await RedisReady(cancellationToken);
            await redis.GetServers()[0].FlushAllDatabasesAsync();
            await using var deployment = deploy();
            try
            {
                await RunScenario(scenario, deployment, results, cancellationToken);
                if (results.Failures.Remove(scenario, out var earlier))
                {
                    results.Retried[scenario] = earlier;
                }
                return true;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Reported before the servers are stopped, so their state is what the scenario saw.
                Report(results, scenario, e, deployment);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Report(results, scenario, e, null);
        }
        return false;
    }

    private void Report(ServerResults results, string scenario, Exception e, IDeployment? deployment)
    {
        var reason = Describe(e);
        results.Failures[scenario] = reason;
        progress.WriteLine($"[{results.Server}] {scenario}: DID NOT FINISH: {reason}");
        foreach (var process in deployment?.Processes ?? [])
        {
            progress.WriteLine($"[{results.Server}]   {process.Name} ({process.State}), log {process.LogPath}, last lines:");
            foreach (var line in process.LogTail(LogLinesReported))
            {
                progress.WriteLine($"[{results.Server}]     {line}");
            }
        }
    }

    /// <summary>An exception as one line: its type and message, and those of what caused it.</summary>
    internal static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null && parts.Count < 3; current = current.InnerException)
        {
            // A wrapper that repeats its cause's message adds nothing but its type.
            if (parts.Count == 0 || !parts[^1].Contains(current.Message, StringComparison.Ordinal))
            {
                parts.Add($"{current.GetType().Name}: {current.Message}");
            }
        }
        return string.Join(" <- ", parts);
    }

    private async Task RunScenario(string scenario, IDeployment deployment, ServerResults results, CancellationToken cancellationToken)
    {
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
            case "wire" when deployment.WireForms.Count > 0:
                await Start(deployment, settings.Wire.Clients);
                results.Wire.Clear();
                foreach (var (form, i) in deployment.WireForms.Select((f, i) => (f, i)))
                {
                    // Symbols of their own per form: each run's quotes are numbered afresh.
                    var wire = settings.Wire with { SymbolPrefix = $"{settings.Wire.SymbolPrefix}{i}" };
                    results.Wire.Add(await Stream(deployment.Target with { Protocol = form }, wire, cancellationToken));
                }
                break;
            case "fanout":
                await Start(deployment, settings.FanOut.Clients);
                results.FanOut = await Stream(deployment.Target, settings.FanOut, cancellationToken);
                break;
            case "capacity":
                await Start(deployment, settings.Capacity.Clients);
                results.Capacity = await Capacity(deployment.Target, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// Waits (bounded) until the benchmark's Redis answers: a scenario must not fail because the previous one left
    /// Redis busy (a large flush, a slow log), and a Redis that stays away fails the scenario with that reason.
    /// </summary>
    private async Task RedisReady(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + RedisReadyTimeout;
        while (true)
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                return;
            }
            catch (RedisException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
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
            (settings.IdleHold > TimeSpan.Zero ? $", held {settings.IdleHold.TotalSeconds:F0} s after measuring; holder pids {string.Join(' ', target.ConnectionHolders.Select(p => p.Pid))}" : ""));
        var result = await IdleScenario.Run(target, settings.IdleConnections, settings.IdleHold, cancellationToken);
        progress.WriteLine($"[{target.Name}] idle: {result.TotalKiBPerConnection:F1} KiB per connection over all server processes " +
            $"({result.KiBPerConnection:F1} in the processes holding them; {result.Connected:N0} in {result.ConnectTime.TotalSeconds:F1} s)");
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

    private async Task<CapacityResult> Capacity(BenchTarget target, CancellationToken cancellationToken)
    {
        var capacity = settings.Capacity;
        progress.WriteLine($"[{target.Name}] capacity: {capacity.Describe()}, sustained = at most {capacity.MaxMissingPercent} % missing and p99 under " +
            $"{capacity.MaxP99Milliseconds:N0} ms; each step {capacity.Warmup.TotalSeconds:F0} s warm-up + {capacity.Duration.TotalSeconds:F0} s measured");
        var result = await CapacityScenario.Run(target, capacity, line => progress.WriteLine($"[{target.Name}]   {line}"), cancellationToken);
        progress.WriteLine($"[{target.Name}] capacity: " + (result.SustainedFramesPerSecond is { } sustained
            ? $"{sustained:N0} offered frames/s sustained ({result.Ended})"
            : $"no step sustained ({result.Ended})"));
        return result;
    }
}
