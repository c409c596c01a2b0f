using System.Diagnostics;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Upgrade;

/// <summary>
/// Silo and gateway processes of one cluster, of whichever build each was started from, on a private Redis with the
/// shipped defaults. Only these processes are in the cluster (no in-process client of the test's own build), so what
/// runs before the first replacement is the earlier release alone. Disposing kills whatever still runs.
/// </summary>
public sealed class MixedCluster : IAsyncDisposable
{
    // A drained process must be gone within Kubernetes' default grace (30 s); README's stop table holds both within 28 s.
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(90);

    private readonly List<(ProductProcess Process, string Name)> _started = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private MixedCluster(RedisServer redis)
    {
        Redis = redis;
        Settings = new RealtimeCluster(redis);
    }

    public RedisServer Redis { get; }

    /// <summary>
    /// The settings every process gets (cluster and service ids, queue, Django key). Both builds must understand them;
    /// a setting the earlier release did not know would be ignored by it, one it knew and the current tree renamed
    /// would break the upgrade, which docs/compatibility.md forbids.
    /// </summary>
    public RealtimeCluster Settings { get; }

    public List<ProductProcess> Silos { get; } = [];

    public List<ProductProcess> Gateways { get; } = [];

    /// <summary>How one process was replaced: SIGTERM to exit, start to ready.</summary>
    public sealed record Replacement(string Role, TimeSpan Stopped, int ExitCode, TimeSpan Ready, ProductProcess Successor);

    public static async Task<MixedCluster> Start(ProductBuild build, int silos, int gateways)
    {
        var cluster = new MixedCluster(RedisServer.StartPrivate());
        try
        {
            for (var i = 0; i < silos; i++)
            {
                cluster.Silos.Add(await cluster.StartReady("Silo", build));
            }
            for (var i = 0; i < gateways; i++)
            {
                cluster.Gateways.Add(await cluster.StartReady("Gateway", build));
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drains <paramref name="old"/> (SIGTERM, waits for it to exit), then starts its successor from <paramref name="build"/> and waits until it is ready.</summary>
    public async Task<Replacement> Replace(ProductProcess old, ProductBuild build)
    {
        var (role, list) = Silos.Contains(old) ? ("Silo", Silos) : ("Gateway", Gateways);
        var clock = Stopwatch.StartNew();
        await old.Terminate(StopBound);
        var stopped = clock.Elapsed;
        clock.Restart();
        var successor = await StartReady(role, build);
        list[list.IndexOf(old)] = successor;
        return new Replacement(role, stopped, old.ExitCode, clock.Elapsed, successor);
    }

    /// <summary>
    /// Starts a process and waits for <c>/readyz</c>: a silo is ready once a grain call goes through it (it joined the
    /// cluster), a gateway once its Orleans client reaches a silo.
    /// </summary>
    private async Task<ProductProcess> StartReady(string program, ProductBuild build)
    {
        var process = program == "Silo"
            ? await ProductProcess.StartSilo(Settings, build: build)
            : await ProductProcess.StartGateway(Settings, build: build);
        var name = $"{program.ToLowerInvariant()} {_started.Count(p => p.Name.StartsWith(program.ToLowerInvariant(), StringComparison.Ordinal)) + 1} ({build.Name})";
        _started.Add((process, name));
        try
        {
            await Eventually.True(async () => !process.HasExited && (await _http.GetAsync(process.Http("/readyz"))).IsSuccessStatusCode,
                $"{name} on {process.HttpPort} is ready", ReadyBound);
        }
        catch (TimeoutException e)
        {
            var tail = string.Join(" / ", process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(12));
            throw new TimeoutException($"{e.Message}; it {(process.HasExited ? $"exited with {process.ExitCode}" : "still runs")}, and wrote last: {tail}", e);
        }
        return process;
    }

    /// <summary>
    /// Every error or critical entry the processes logged, with the process that logged it (<c>silo 3 (current)</c>);
    /// the console's simple format writes an entry's level and category on one line and its message on the next.
    /// </summary>
    public IEnumerable<(string Process, string Entry)> Complaints() =>
        _started.SelectMany(started =>
        {
            var lines = started.Process.Output.Split('\n');
            return lines.Select((line, i) => (line, i))
                .Where(x => x.line.StartsWith("fail:", StringComparison.Ordinal) || x.line.StartsWith("crit:", StringComparison.Ordinal))
                .Select(x => (started.Name, $"{x.line.Trim()} {(x.i + 1 < lines.Length ? lines[x.i + 1].Trim() : "")}"));
        });

    /// <summary>The error entries logged, counted by process and kind, each with its first message: what a report shows.</summary>
    public IEnumerable<string> ComplaintKinds() =>
        Complaints().GroupBy(c => (c.Process, Kind: c.Entry[..(c.Entry.IndexOf(']') + 1)]))
            .Select(kind => $"{kind.Key.Process} logged {kind.Count()} x {kind.Key.Kind}, first: {kind.First().Entry[kind.Key.Kind.Length..].Trim()}");

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        foreach (var (process, _) in _started)
        {
            await process.DisposeAsync();
        }
        await Settings.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
