using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Realtime.Connections;

namespace Realtime.Topics;

/// <summary>
/// A topic's frames and subscriptions on their way to one gateway, sent one call at a time and in order. Each
/// gateway has its own, so a gateway that stalls or died costs only its own subscribers time, never the others.
/// </summary>
/// <remarks>
/// <para>Order is what makes snapshots exact: a subscription (with its snapshot or catch-up) is queued behind the
/// updates already on their way to its gateway, so the gateway registers the subscriber only after those went out,
/// and the subscriber never receives an update its snapshot already holds.</para>
/// <para>Updates that queued up while a call was under way go together in the next call, so a busy gateway falls
/// behind by one call, not by a queue of them. A call that fails or times out may or may not have arrived, so the
/// outbox does not guess: it drops what waited, and once the gateway answers again it sends the topic's current
/// snapshot to the gateway's subscribers instead, retrying with backoff. It does the same when the gateway says a
/// subscriber holds another epoch (one the publisher never sent a snapshot to, such as a connection a previous
/// activation served): the gateway withheld the updates from it, and a snapshot queued next brings it into step. A gateway that stays unreachable for
/// <see cref="GiveUpAfter"/> (it died; its clients reconnect elsewhere) is dropped.</para>
/// </remarks>
internal sealed class GatewayOutbox(
    string gatewayId,
    IGatewayObserver gateway,
    string topic,
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

    /// <summary>Queues an update (or an unasked snapshot) for every subscriber the gateway holds of this topic.</summary>
    public void Post(ServerFrame frame)
    {
        if (_resync)
        {
            // The snapshot the outbox sends once the gateway answers again will hold this.
            return;
        }
        if (_pending.Count >= MaxPending)
        {
            logger.LogWarning("Topic {Topic}: gateway {GatewayId} is {Count} frames behind; it gets a fresh snapshot instead", topic, gatewayId, _pending.Count);
            Drop(new TimeoutException("too far behind"));
            _resync = true;
            return;
        }
        Enqueue(new Item([frame], null, null, null));
    }

    /// <summary>
    /// Subscribes a connection of the gateway to the topic, after everything queued before: <paramref name="frames"/>
    /// (its snapshot, or what it missed) reach it first, and every update queued later reaches it after them, at
    /// most <paramref name="maxRate"/> a second when given (the gateway paces it).
    /// </summary>
    public Task Attach(string instanceId, ImmutableArray<ServerFrame> frames, double? maxRate)
    {
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Item(frames, instanceId, attached, maxRate));
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
                        logger.LogWarning("Topic {Topic} dropped gateway {GatewayId}: {Error}", topic, gatewayId, e.Message);
                        _resync = false;
                        onUnreachable(gatewayId);
                        return;
                    }
                    logger.LogInformation("Topic {Topic}: gateway {GatewayId} failed a call ({Error}); it gets a fresh snapshot", topic, gatewayId, e.Message);
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
                await gateway.Publish(topic, [snapshot]).WaitAsync(CallTimeout);
            }
            _resync = false;
            return;
        }
        if (_pending.Peek() is { InstanceId: { } instanceId } attach)
        {
            await gateway.Subscribe(instanceId, topic, attach.Frames, attach.MaxRate).WaitAsync(CallTimeout);
            _pending.Dequeue();
            attach.Attached!.TrySetResult();
            return;
        }
        var frames = ImmutableArray.CreateBuilder<ServerFrame>();
        while (_pending.Count > 0 && _pending.Peek().InstanceId is null)
        {
            frames.AddRange(_pending.Dequeue().Frames);
        }
        if (!await gateway.Publish(topic, frames.ToImmutable()).WaitAsync(CallTimeout))
        {
            // Queued behind what waits, which the snapshot (taken now) already holds: subscribers in step get those
            // updates and then the snapshot, the others only the snapshot.
            logger.LogInformation("Topic {Topic}: gateway {GatewayId} holds subscribers of another epoch; it gets a fresh snapshot", topic, gatewayId);
            if (currentSnapshot() is { } snapshot)
            {
                _pending.Enqueue(new Item([snapshot], null, null, null));
            }
        }
    }

    /// <summary>Forgets what waited; subscriptions fail, so their callers hear of it (and the gateway's refresh restates them).</summary>
    private void Drop(Exception reason)
    {
        while (_pending.TryDequeue(out var item))
        {
            item.Attached?.TrySetException(reason);
        }
    }

    private sealed record Item(ImmutableArray<ServerFrame> Frames, string? InstanceId, TaskCompletionSource? Attached, double? MaxRate);
}
