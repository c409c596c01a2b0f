using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>
/// The chart frames on their way to one gateway, sent one call at a time and in order. Each gateway has its own,
/// so a gateway that stalls or died costs only its own viewers time, never the chart's other gateways. Every update
/// reaches the gateway (conflation for slow readers happens there, per connection); frames that queued up while a
/// call was under way go together in the next call, so a busy gateway falls behind by one call, not by a queue of
/// them. A gateway that falls <see cref="MaxPending"/> frames behind, or fails a call, is dropped until its next
/// refresh.
/// </summary>
internal sealed class GatewayOutbox(string gatewayId, IGatewayObserver gateway, string chartKey, Action<string> onUnreachable, ILogger logger)
{
    internal const int MaxPending = 4096;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private readonly Queue<ServerFrame> _pending = new();
    private bool _sending;

    public IGatewayObserver Gateway => gateway;

    public void Post(ServerFrame frame)
    {
        if (_pending.Count >= MaxPending)
        {
            logger.LogWarning("Chart {Chart} dropped gateway {GatewayId}: {Count} frames behind", chartKey, gatewayId, _pending.Count);
            _pending.Clear();
            onUnreachable(gatewayId);
            return;
        }
        _pending.Enqueue(frame);
        if (!_sending)
        {
            _sending = true;
            _ = Drain();
        }
    }

    private async Task Drain()
    {
        try
        {
            while (_pending.Count > 0)
            {
                var frames = _pending.ToImmutableArray();
                _pending.Clear();
                await gateway.SendChart(chartKey, frames).WaitAsync(CallTimeout);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning("Chart {Chart} dropped gateway {GatewayId}: {Error}", chartKey, gatewayId, e.Message);
            _pending.Clear();
            onUnreachable(gatewayId);
        }
        finally
        {
            _sending = false;
        }
    }
}
