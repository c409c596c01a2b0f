using Microsoft.Extensions.Logging;
using Realtime.Modules;
using Realtime.Quotes;
using Realtime.Topics;
using Realtime.Users;

namespace Realtime.Charts;

/// <summary>
/// The charts one user has open, per connection and client chart id. Glue between the user's <c>mychart</c>
/// requests and the shared chart grains: it opens, changes and closes subscriptions, and releases them all when a
/// connection closes or the user leaves. Only dynamic charts are open: a static one is answered once and holds
/// nothing, so it takes no slot of <see cref="MaxOpenCharts"/> and needs no <c>close</c> (docs/protocol.md 1.9).
/// </summary>
public sealed class ChartAgent(IGrainFactory grains, ILogger logger) : IUserModule
{
    /// <summary>Dynamic charts one user may have open at once, over all of its connections.</summary>
    public const int MaxOpenCharts = 20;

    private readonly Dictionary<(string InstanceId, string ChartId), OpenChart> _open = [];

    public int Count => _open.Count;

    public OpenChart? Find(string instanceId, string chartId) => _open.GetValueOrDefault((instanceId, chartId));

    /// <summary>Asks the chart grain to send the chart to the viewer's connection (and its updates, if dynamic: then it is open).</summary>
    public async Task<OpenOutcome> Open(OpenChart chart, string? idJson, ChartResume? resume)
    {
        var request = new ChartOpenRequest(chart.Viewer, chart.ChartId, idJson, chart.Dynamic, chart.Count, resume, chart.MaxRate);
        var result = await grains.GetGrain<IChartGrain>(chart.Spec.Key).Open(request);
        if (result == OpenOutcome.Opened && chart.Dynamic)
        {
            _open[(chart.Viewer.InstanceId, chart.ChartId)] = chart;
        }
        return result;
    }

    public async Task Close(string instanceId, string chartId)
    {
        if (_open.Remove((instanceId, chartId), out var chart))
        {
            await Release(chart);
        }
    }

    public async ValueTask OnConnectionClosed(string instanceId)
    {
        foreach (var key in _open.Keys.Where(k => k.InstanceId == instanceId).ToArray())
        {
            await Close(key.InstanceId, key.ChartId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var charts = _open.Values.ToArray();
        _open.Clear();
        foreach (var chart in charts)
        {
            await Release(chart);
        }
    }

    /// <summary>Stops the chart grain sending to this connection, unless another chart id of it shows the same chart.</summary>
    private async Task Release(OpenChart chart)
    {
        if (_open.Values.Any(o => o.Viewer.InstanceId == chart.Viewer.InstanceId && o.Spec.Key == chart.Spec.Key))
        {
            return;
        }
        try
        {
            await grains.GetGrain<IChartGrain>(chart.Spec.Key).Close(chart.Viewer.GatewayId, chart.Viewer.InstanceId);
        }
        catch (Exception e)
        {
            // The chart grain forgets viewers that its gateway no longer restates, so nothing leaks for long.
            logger.LogWarning("Could not release chart {Chart} for {InstanceId}: {Error}", chart.Spec.Key, chart.Viewer.InstanceId, e.Message);
        }
    }
}
