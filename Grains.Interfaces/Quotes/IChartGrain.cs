using Orleans.Runtime;
using System.Collections.Immutable;
using Realtime.Topics;

namespace Realtime.Quotes;

/// <summary>
/// The quote listener of one distinct chart (key: <c>SYMBOL|PERIOD|IND1;IND2</c>, indicators in canonical spelling).
/// Subscribes to the symbol's quote stream, computes bars and indicators once for every viewer, and sends each
/// update once per gateway, which fans it out to its own connections.
/// </summary>
[Alias("realtime.IChartGrain"), GrainInterfaceType("Realtime.Quotes.IChartGrain")]
public interface IChartGrain : ITopicGrain
{
    /// <summary>
    /// Sends the viewer's gateway the chart's snapshot (or, resuming, what it missed) and, for a dynamic chart,
    /// subscribes the viewer to its updates.
    /// </summary>
    Task<OpenOutcome> Open(ChartOpenRequest request);

    /// <summary>A connection stops watching this chart.</summary>
    Task Close(string gatewayId, string instanceId);

    Task<ChartStats> GetStats();
}
