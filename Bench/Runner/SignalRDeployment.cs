using Realtime.Bench.Measurement;
using Realtime.Bench.Protocols;
using Realtime.Bench.Scenarios;
using StackExchange.Redis;

namespace Realtime.Bench.Runner;

/// <summary>The SignalR peer (Bench/SignalRPeer), Release build, one process: it pops the queue and holds the clients.</summary>
internal sealed class SignalRDeployment(SuiteSettings settings, IConnectionMultiplexer redis, MonitoredProcess redisProcess) : IDeployment
{
    private readonly int _port = FreePort.Next();
    private ServerProcess? _peer;

    public const string ServerName = "SignalR + Redis backplane";

    public string Name => ServerName;

    public IReadOnlyList<ServerProcess> Processes => _peer is null ? [] : [_peer];

    public BenchTarget Target => new(new SignalRProtocol(new Uri($"ws://127.0.0.1:{_port}/quotes")), redis, SuiteSettings.Queue, [_peer!.Monitored], redisProcess);

    public async Task StartConsumer()
    {
        var environment = settings.ServerEnvironment();
        environment["Peer__Redis"] = redis.Configuration.Split(',')[0];
        environment["Peer__Queue"] = SuiteSettings.Queue;
        environment["Urls"] = $"http://127.0.0.1:{_port}";
        _peer = await ServerProcess.Start("peer", settings.PeerDll, environment, new Uri($"http://127.0.0.1:{_port}/healthz"), settings.LogDirectory);
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
