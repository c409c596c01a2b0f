using Realtime.Bench.Scenarios;

namespace Realtime.Bench.Runner;

/// <summary>
/// Everything measured for one server; a scenario left out of the run stays null, and one that could not finish
/// stays null with the reason in <see cref="Failures"/>.
/// </summary>
internal sealed class ServerResults(string server)
{
    public string Server => server;

    public PumpResult? Pump { get; set; }

    public IdleResult? Idle { get; set; }

    public StreamResult? Latency { get; set; }

    public StreamResult? FanOut { get; set; }

    /// <summary>The wire scenario: one run per form of the protocol (ours only), in <see cref="IDeployment.WireForms"/> order.</summary>
    public List<StreamResult> Wire { get; } = [];

    public CapacityResult? Capacity { get; set; }

    /// <summary>Scenario name to why it did not finish (its last attempt).</summary>
    public Dictionary<string, string> Failures { get; } = [];

    /// <summary>Scenario name to why its first attempt did not finish, for scenarios a retry then finished.</summary>
    public Dictionary<string, string> Retried { get; } = [];
}
