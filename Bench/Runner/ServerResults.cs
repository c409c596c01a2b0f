using Realtime.Bench.Scenarios;

namespace Realtime.Bench.Runner;

/// <summary>Everything measured for one server; a scenario left out of the run stays null.</summary>
internal sealed class ServerResults(string server)
{
    public string Server => server;

    public PumpResult? Pump { get; set; }

    public IdleResult? Idle { get; set; }

    public StreamResult? Latency { get; set; }

    public StreamResult? FanOut { get; set; }
}
