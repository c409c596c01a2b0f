using System.Diagnostics;
using StackExchange.Redis;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// What operators run for Redis failover, from Debian's redis-server: a master, one replica and three sentinels
/// (quorum two) watching them as service <see cref="Service"/>, each a process of its own on a free loopback port.
/// Disposing kills every process it started, whatever state the test left them in.
/// </summary>
public sealed class SentinelRedis : IAsyncDisposable
{
    public const string Service = "mymaster";

    /// <summary>
    /// How long a master must be silent before a sentinel calls it down (Redis' own default is 30 s; 5 s is a common
    /// production choice and keeps the test short). The failover time is mostly this.
    /// </summary>
    public const int DownAfterMilliseconds = 5000;

    private readonly string _dir = Directory.CreateTempSubdirectory("realtime-sentinel-").FullName;
    private readonly Dictionary<int, Process> _servers = [];
    private readonly List<(int Port, Process Process)> _sentinels = [];

    private SentinelRedis()
    {
    }

    /// <summary>The <c>Cluster:Redis</c> value an operator writes: the sentinels and the service name.</summary>
    public string ConnectionString => string.Join(",", _sentinels.Select(s => $"127.0.0.1:{s.Port}")) + $",serviceName={Service}";

    /// <summary>The data servers' ports, the master's first at start.</summary>
    public IReadOnlyCollection<int> ServerPorts => _servers.Keys;

    public static async Task<SentinelRedis> Start()
    {
        var redis = new SentinelRedis();
        try
        {
            var master = FreePort.Next();
            var replica = FreePort.Next();
            redis.StartServer(master);
            redis.StartServer(replica, "--replicaof", "127.0.0.1", master.ToString());
            await Eventually.True(async () => (await Info(replica, "replication")).Contains("master_link_status:up"), "the replica is in sync with the master", TimeSpan.FromSeconds(30));
            for (var i = 0; i < 3; i++)
            {
                redis.StartSentinel(master);
            }
            // Failover needs every sentinel to know the replica (from the master's INFO) and its peers (from their
            // hello messages, every 2 s); a kill before that would leave the service without a master.
            await Eventually.True(async () =>
            {
                foreach (var (port, _) in redis._sentinels)
                {
                    var replicas = await Sentinel(port, "REPLICAS");
                    var peers = await Sentinel(port, "SENTINELS");
                    if (replicas.Length != 1 || peers.Length != 2)
                    {
                        return false;
                    }
                }
                return true;
            }, "every sentinel knows the replica and the two other sentinels", TimeSpan.FromSeconds(60));
            return redis;
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>The master's port as the sentinels name it now.</summary>
    public async Task<int> MasterPort()
    {
        foreach (var (port, _) in _sentinels)
        {
            try
            {
                await using var sentinel = await ConnectSentinel(port);
                var address = await sentinel.GetServer($"127.0.0.1:{port}").SentinelGetMasterAddressByNameAsync(Service);
                if (address is System.Net.IPEndPoint endpoint)
                {
                    return endpoint.Port;
                }
            }
            catch (RedisException)
            {
            }
        }
        throw new InvalidOperationException("no sentinel names a master");
    }

    /// <summary>
    /// Listens on every sentinel for the next <c>+switch-master</c> (a replica promoted) and completes with the moment
    /// the first of them announced it: the leader announces first, the others only once its hello reaches them.
    /// </summary>
    public async Task<Task<DateTime>> NextPromotion()
    {
        var promoted = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connections = new List<ConnectionMultiplexer>();
        foreach (var (port, _) in _sentinels)
        {
            var sentinel = await ConnectSentinel(port);
            connections.Add(sentinel);
            await sentinel.GetSubscriber().SubscribeAsync(RedisChannel.Literal("+switch-master"), (_, _) => promoted.TrySetResult(DateTime.UtcNow));
        }
        return Close(promoted.Task, connections);

        static async Task<DateTime> Close(Task<DateTime> promoted, List<ConnectionMultiplexer> connections)
        {
            try
            {
                return await promoted.WaitAsync(TimeSpan.FromSeconds(90));
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }
        }
    }

    /// <summary>SIGKILLs the data server on <paramref name="port"/>: no shutdown, no last write, as a crashed host.</summary>
    public async Task Kill(int port)
    {
        var process = _servers[port];
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>A connection straight to one data server (not through the sentinels), as an operator's redis-cli.</summary>
    public static Task<ConnectionMultiplexer> ConnectServer(int port) =>
        ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true,abortConnect=false");

    /// <summary>One section of a data server's INFO.</summary>
    public static async Task<string> Info(int port, string section)
    {
        await using var redis = await ConnectServer(port);
        return (string)(await redis.GetServer($"127.0.0.1:{port}").ExecuteAsync("INFO", section))!;
    }

    /// <summary>A numeric field of INFO's text (<c>master_repl_offset</c>), or null when absent.</summary>
    public static long? InfoField(string info, string field) =>
        info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal)) is { } line
            ? long.Parse(line[(field.Length + 1)..])
            : null;

    private static async Task<RedisResult[]> Sentinel(int port, string what)
    {
        await using var sentinel = await ConnectSentinel(port);
        return (RedisResult[])(await sentinel.GetServer($"127.0.0.1:{port}").ExecuteAsync("SENTINEL", what, Service))!;
    }

    private static Task<ConnectionMultiplexer> ConnectSentinel(int port) =>
        ConnectionMultiplexer.SentinelConnectAsync($"127.0.0.1:{port},abortConnect=false,connectTimeout=2000");

    private void StartServer(int port, params string[] extra)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, $"redis-{port}")).FullName;
        // Persistence as scripts/run.sh runs it (append-only); the replica copies the master's writes asynchronously,
        // which is what can lose acknowledged writes when the master dies.
        _servers[port] = RedisProcess.Launch(["--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--save", "", "--daemonize", "no", .. extra], port);
    }

    private void StartSentinel(int masterPort)
    {
        var port = FreePort.Next();
        var dir = Directory.CreateDirectory(Path.Combine(_dir, $"sentinel-{port}")).FullName;
        var config = Path.Combine(dir, "sentinel.conf");
        // A sentinel rewrites its own file (what it learnt of replicas and peers), so each has one.
        File.WriteAllLines(config,
        [
            $"port {port}",
            "bind 127.0.0.1",
            $"dir {dir}",
            $"sentinel monitor {Service} 127.0.0.1 {masterPort} 2",
            $"sentinel down-after-milliseconds {Service} {DownAfterMilliseconds}",
            $"sentinel failover-timeout {Service} 30000",
            $"sentinel parallel-syncs {Service} 1",
        ]);
        _sentinels.Add((port, RedisProcess.Launch([config, "--sentinel"], port)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _sentinels.Select(s => s.Process).Concat(_servers.Values))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }
}
