using Realtime.Connections;
using Realtime.Quotes;

namespace Realtime.Charts;

/// <summary>One chart a connection has open under its own chart id.</summary>
public sealed record OpenChart(string ChartId, ChartSpec Spec, ConnectionInfo Viewer, bool Dynamic, int Count);
