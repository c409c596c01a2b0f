using Realtime.Bench.Scenarios;

namespace Realtime.Bench.Runner;

/// <summary>One server under test, started in two steps so the pump can be timed on a queue filled beforehand.</summary>
internal interface IDeployment : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Starts what consumes the service queue (ours: the silo; the peer: the whole peer).</summary>
    Task StartConsumer();

    /// <summary>Starts what accepts clients (ours: the gateway, with a session per client stored first).</summary>
    Task StartFrontDoor(int clients);

    BenchTarget Target { get; }

    /// <summary>The forms of the server's protocol the wire scenario compares (ours: JSON, compact, compact + deflate); none for the peers.</summary>
    IReadOnlyList<Realtime.Bench.Protocols.IBenchProtocol> WireForms => [];

    /// <summary>The processes started so far, for the report of a scenario that failed (their state and logs).</summary>
    IReadOnlyList<ServerProcess> Processes { get; }
}
