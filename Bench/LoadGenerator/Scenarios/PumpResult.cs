namespace Realtime.Bench.Scenarios;

/// <summary>How fast a server drained a preloaded service queue.</summary>
public sealed record PumpResult(string Server, long Preloaded, long Measured, TimeSpan Took)
{
    public double MessagesPerSecond => Measured / Took.TotalSeconds;
}
