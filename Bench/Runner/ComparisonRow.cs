namespace Realtime.Bench.Runner;

/// <summary>One line of the table: a metric of a scenario for both servers, with the target it is held to.</summary>
internal sealed record ComparisonRow(string Scenario, string Metric, string Target, double? Ours, double? Peer, string Format, string Verdict = "")
{
    /// <summary>Ours divided by the peer's: below 1 is better for times and costs, above 1 for throughput.</summary>
    public double? Ratio => Ours is { } ours && Peer is { } peer && peer != 0 && double.IsFinite(ours) && double.IsFinite(peer) ? ours / peer : null;
}
