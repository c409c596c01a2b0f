using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Realtime.Connections;

namespace Realtime.Quotes;

/// <summary>
/// The chart frames and attaches on their way to one gateway, sent one call at a time and in order. Each gateway
/// has its own, so a gateway that stalls or died costs only its own viewers time, never the chart's other gateways.
/// </summary>
/// <remarks>
/// <para>Order is what makes snapshots exact: a viewer's attach (with its snapshot or catch-up) is queued behind the
/// updates already on their way to its gateway, so the gateway registers the viewer only after those went out, and
/// the viewer never receives an update its snapshot already holds.</para>
/// <para>Updates that queued up while a call was under way go together in the next call, so a busy gateway falls
/// behind by one call, not by a queue of them. A call that fails or times out may or may not have arrived, so the
/// outbox does not guess: it drops what waited, and once the gateway answers again it sends the chart's current
/// snapshot to the gateway's viewers instead, retrying with backoff. A gateway that stays unreachable for
/// <see cref="GiveUpAfter"/> (it died; its clients reconnect elsewhere) is dropped.</para>
/// </remarks>
internal sealed class GatewayOutbox(
    string gatewayId,
    IGatewayObserver gateway,
    string chartKey,
    Func<ServerFrame?> currentSnapshot,
    Action<string> onUnreachable,
    ILogger logger)
{
    internal const int MaxPending = 4096;
    internal static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(2);

    private readonly Queue<Item> _pending = new();
    private bool _sending;
    private bool _resync;

    public IGatewayObserver Gateway => gateway;

    /// <summary>Queues an update (or an unasked snapshot) for every viewer the gateway holds of this chart.</summary>
    public void Post(ServerFrame frame)
    {
        if (_resync)
        {
            // The snapshot the outbox sends once the gateway answers again will hold this.
            return;
        }
        if (_pending.Count >= MaxPending)
        {
            logger.LogWarning("Chart {Chart}: gateway {GatewayId} is {Count} frames behind; it gets a fresh snapshot instead", chartKey, gatewayId, _pending.Count);
            Drop(new TimeoutException("too far behind"));
            _resync = true;
            return;
        }
        Enqueue(new Item([frame], null, null));
    }

    /// <summary>
    /// Subscribes a connection of the gateway to the chart, after everything queued before: <paramref name="frames"/>
    /// (its snapshot, or what it missed) reach it first, and every update queued later reaches it after them.
    /// </summary>
    public Task Attach(string instanceId, ImmutableArray<ServerFrame> frames)
    {
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Item(frames, instanceId, attached));
        return attached.Task;
    }

    private void Enqueue(Item item)
    {
        _pending.Enqueue(item);
        if (!_sending)
        {
            _sending = true;
            _ = Drain();
        }
    }

    private async Task Drain()
    {
        var failingSince = (DateTime?)null;
        var retry = FirstRetry;
        try
        {
            while (_resync || _pending.Count > 0)
            {
                try
                {
                    await SendNext();
                    failingSince = null;
                    retry = FirstRetry;
                }
                catch (Exception e)
                {
                    failingSince ??= DateTime.UtcNow;
                    Drop(e);
                    if (DateTime.UtcNow - failingSince > GiveUpAfter)
                    {
                        logger.LogWarning("Chart {Chart} dropped gateway {GatewayId}: {Error}", chartKey, gatewayId, e.Message);
                        _resync = false;
                        onUnreachable(gatewayId);
                        return;
                    }
                    logger.LogInformation("Chart {Chart}: gateway {GatewayId} failed a call ({Error}); it gets a fresh snapshot", chartKey, gatewayId, e.Message);
                    _resync = true;
                    await Task.Delay(retry);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
                }
            }
        }
        finally
        {
            _sending = false;
        }
    }

    /// <summary>One call: the snapshot a resync owes, an attach, or every update queued before the next attach.</summary>
    private async Task SendNext()
    {
        if (_resync)
        {
            if (currentSnapshot() is { } snapshot)
            {
                await gateway.SendChart(chartKey, [snapshot]).WaitAsync(CallTimeout);
            }
            _resync = false;
            return;
        }
        if (_pending.Peek() is { InstanceId: { } instanceId } attach)
        {
            await gateway.AttachChart(instanceId, chartKey, attach.Frames).WaitAsync(CallTimeout);
            _pending.Dequeue();
            attach.Attached!.TrySetResult();
            return;
        }
        var frames = ImmutableArray.CreateBuilder<ServerFrame>();
        while (_pending.Count > 0 && _pending.Peek().InstanceId is null)
        {
            frames.AddRange(_pending.Dequeue().Frames);
        }
        await gateway.SendChart(chartKey, frames.ToImmutable()).WaitAsync(CallTimeout);
    }

    /// <summary>Forgets what waited; attaches fail, so their viewers hear of it (and the gateway's refresh restates them).</summary>
    private void Drop(Exception reason)
    {
        while (_pending.TryDequeue(out var item))
        {
            item.Attached?.TrySetException(reason);
        }
    }

    private sealed record Item(ImmutableArray<ServerFrame> Frames, string? InstanceId, TaskCompletionSource? Attached);
}
