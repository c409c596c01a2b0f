using Realtime.Bench.Measurement;
using Realtime.Bench.Protocols;
using StackExchange.Redis;

namespace Realtime.Bench.Scenarios;

/// <summary>
/// One server under test: how its clients speak, the Redis and queue its producers push to, and the processes
/// whose CPU and memory are its cost (empty when the server runs inside the generator's own process), and for ours
/// the silo's Prometheus endpoint, whose histograms split the latency into stages.
/// </summary>
public sealed record BenchTarget(
    IBenchProtocol Protocol,
    IConnectionMultiplexer Redis,
    string Queue,
    IReadOnlyList<MonitoredProcess> ServerProcesses,
    MonitoredProcess? RedisProcess = null,
    Uri? StageMetrics = null)
{
    public string Name => Protocol.Name;

    /// <summary>
    /// The processes that hold client connections (ours: the gateway; Socket.IO: its workers), for memory per
    /// connection; unless set, the last server process.
    /// </summary>
    public IReadOnlyList<MonitoredProcess> ConnectionHolders
    {
        get => field ?? (ServerProcesses.Count == 0 ? [] : [ServerProcesses[^1]]);
        init;
    }
}
