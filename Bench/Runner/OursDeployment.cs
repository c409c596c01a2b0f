using Realtime.Bench.Measurement;
using Realtime.Bench.Protocols;
using Realtime.Bench.Scenarios;
using Realtime.Bench.Sessions;
using StackExchange.Redis;

namespace Realtime.Bench.Runner;

/// <summary>
/// Our product on Redis clustering, configured by environment variables: as scripts/run.sh runs it, one silo serving
/// the WebSocket endpoint itself (--topology embedded, the default), or the scale-out topology of a silo and a
/// separate gateway process (--topology separate). Clients open 1m charts with one moving average.
/// </summary>
internal sealed class OursDeployment(SuiteSettings settings, IConnectionMultiplexer redis, MonitoredProcess redisProcess) : IDeployment
{
    // The benchmark signs its own sessions, as the demo does; a real deployment uses the Django site's key.
    private const string SecretKey = "realtime-orleans-bench-secret-key";

    private readonly int _gatewayPort = FreePort.Next();
    private readonly int _siloHttpPort = FreePort.Next();
    private ServerProcess? _silo;
    private ServerProcess? _gateway;

    public const string ServerName = RealtimeProtocol.ServerName;

    public string Name => ServerName;

    public IReadOnlyList<ServerProcess> Processes => [.. new[] { _silo, _gateway }.OfType<ServerProcess>()];

    private bool Embedded => settings.Topology == SuiteSettings.EmbeddedTopology;

    public BenchTarget Target => new(
        Protocol(settings.Form),
        redis,
        SuiteSettings.Queue,
        Processes.Select(p => p.Monitored).ToArray(),
        redisProcess,
        new Uri($"http://127.0.0.1:{(Embedded ? _gatewayPort : _siloHttpPort)}/metrics"));

    public IReadOnlyList<IBenchProtocol> WireForms =>
        [Protocol(RealtimeForm.Json, countWireBytes: true), Protocol(countWireBytes: true), Protocol(deflate: true, countWireBytes: true)];

    /// <summary>By default what our browser library speaks: the compact form, without compression.</summary>
    private RealtimeProtocol Protocol(RealtimeForm form = RealtimeForm.Compact, bool deflate = false, bool countWireBytes = false) =>
        new(new Uri($"ws://127.0.0.1:{_gatewayPort}"), "1m", "SMA(close,20)") { Form = form, Deflate = deflate, CountsWireBytes = countWireBytes };

    public async Task StartConsumer()
    {
        var http = Embedded ? _gatewayPort : _siloHttpPort;
        var environment = Shared();
        environment["Cluster__SiloPort"] = FreePort.Next().ToString();
        environment["Cluster__GatewayPort"] = FreePort.Next().ToString();
        environment["Urls"] = $"http://127.0.0.1:{http}";
        if (Embedded)
        {
            environment["Silo__EmbeddedGateway"] = "true";
            environment["Django__SecretKey"] = SecretKey;
            // Only the wire scenario's deflate clients offer permessage-deflate; every other client is served as shipped.
            environment["Gateway__PermessageDeflate"] = "true";
            foreach (var (key, value) in settings.GatewayEnvironment)
            {
                environment[key] = value;
            }
        }
        foreach (var (key, value) in settings.SiloEnvironment)
        {
            environment[key] = value;
        }
        _silo = await ServerProcess.Start("silo", settings.SiloDll, environment, new Uri($"http://127.0.0.1:{http}/healthz"), settings.LogDirectory);
    }

    public async Task StartFrontDoor(int clients)
    {
        await new DjangoSessionWriter(SecretKey).StoreClients(redis.GetDatabase(), clients);
        if (Embedded)
        {
            return;
        }
        var environment = Shared();
        environment["Django__SecretKey"] = SecretKey;
        environment["Urls"] = $"http://127.0.0.1:{_gatewayPort}";
        // Only the wire scenario's deflate clients offer permessage-deflate; every other client is served as shipped.
        environment["Gateway__PermessageDeflate"] = "true";
        foreach (var (key, value) in settings.GatewayEnvironment)
        {
            environment[key] = value;
        }
        _gateway = await ServerProcess.Start("gateway", settings.GatewayDll, environment, new Uri($"http://127.0.0.1:{_gatewayPort}/healthz"), settings.LogDirectory);
    }

    private Dictionary<string, string> Shared()
    {
        var environment = settings.ServerEnvironment();
        environment["Cluster__Redis"] = redis.Configuration.Split(',')[0];
        environment["Cluster__ClusterId"] = "bench";
        environment["Cluster__ServiceId"] = "bench";
        environment["ServiceQueue__Queues__0"] = SuiteSettings.Queue;
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
