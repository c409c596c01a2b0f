using Microsoft.Extensions.Logging;
using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>
/// The chart frames on their way to one gateway, sent one call at a time in order. Each gateway has its own, so a
/// gateway that stalls or died costs only its own viewers time, never the chart's other gateways. While a call is
/// in flight, a newer update replaces a pending one (newest state wins, as in the gateway's own send queues).
/// </summary>
internal sealed class GatewayOutbox(string gatewayId, IGatewayObserver gateway, string chartKey, Action<string> onUnreachable, ILogger logger)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private readonly LinkedList<ServerFrame> _pending = new();
    private bool _sending;

    public IGatewayObserver Gateway => gateway;

    public void Post(ServerFrame frame)
    {
        if (frame.ConflationKey is not null && _pending.Last is { } last && last.Value.ConflationKey == frame.ConflationKey)
        {
            last.Value = frame;
        }
        else
        {
            _pending.AddLast(frame);
        }
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
            while (_pending.First is { } next)
            {
                _pending.RemoveFirst();
                await gateway.SendChart(chartKey, next.Value).WaitAsync(CallTimeout);
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
