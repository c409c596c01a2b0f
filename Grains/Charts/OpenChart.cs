using Realtime.Connections;
using Realtime.Quotes;

namespace Realtime.Charts;

/// <summary>One chart a connection has open under its own chart id; <see cref="MaxRate"/> paces its updates (null: all).</summary>
public sealed record OpenChart(string ChartId, ChartSpec Spec, ConnectionInfo Viewer, bool Dynamic, int Count, double? MaxRate = null);
