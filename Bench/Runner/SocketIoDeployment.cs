using System.Text.Json;
using Realtime.Bench.Measurement;
using Realtime.Bench.Protocols;
using Realtime.Bench.Scenarios;
using StackExchange.Redis;

namespace Realtime.Bench.Runner;

/// <summary>
/// The Socket.IO peer (Bench/SocketIoPeer/server.mjs): a Node primary that forks one worker per core (its
/// documentation's way to use every core), each worker a Socket.IO server with the Redis adapter that pops the queue
/// too. Its cost is the primary and the workers together; the workers hold the connections.
/// </summary>
internal sealed class SocketIoDeployment(SuiteSettings settings, IConnectionMultiplexer redis, MonitoredProcess redisProcess) : IDeployment
{
    private readonly int _port = FreePort.Next();
    private ServerProcess? _peer;
    private MonitoredProcess[] _workers = [];

    public const string ServerName = SocketIoProtocol.ServerName;

    public string Name => ServerName;

    public IReadOnlyList<ServerProcess> Processes => _peer is null ? [] : [_peer];

    public BenchTarget Target => new(new SocketIoProtocol(new Uri($"ws://127.0.0.1:{_port}")), redis, SuiteSettings.Queue, [_peer!.Monitored, .. _workers], redisProcess)
    {
        ConnectionHolders = _workers,
    };

    public async Task StartConsumer()
    {
        var script = Path.Combine(settings.SocketIoPeerDirectory, "server.mjs");
        if (!Directory.Exists(Path.Combine(settings.SocketIoPeerDirectory, "node_modules", "socket.io")))
        {
            throw new InvalidOperationException($"the Socket.IO peer's packages are not installed: run npm ci in {settings.SocketIoPeerDirectory} (Bench/run.sh does)");
        }
        var environment = settings.ServerEnvironment();
        environment["PEER_REDIS"] = redis.Configuration.Split(',')[0];
        environment["PEER_QUEUE"] = SuiteSettings.Queue;
        environment["PEER_HOST"] = "127.0.0.1";
        environment["PEER_PORT"] = _port.ToString();
        environment["PEER_WORKERS"] = settings.SocketIoWorkers.ToString();
        environment["NODE_ENV"] = "production";
        string[] arguments = settings.PerfMap ? ["--perf-basic-prof", script] : [script];
        var health = new Uri($"http://127.0.0.1:{_port}/healthz");
        _peer = await ServerProcess.Start("socketio", "node", arguments, settings.SocketIoPeerDirectory, environment, health, settings.LogDirectory);
        _workers = await Workers(health);
    }

    /// <summary>The workers' process ids, as the peer's health answer lists them.</summary>
    private static async Task<MonitoredProcess[]> Workers(Uri health)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var status = JsonDocument.Parse(await http.GetStringAsync(health));
        return [.. status.RootElement.GetProperty("workers").EnumerateArray().Select((pid, i) => new MonitoredProcess($"socketio worker {i + 1}", pid.GetInt32()))];
    }

    public Task StartFrontDoor(int clients) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }
}
