using System.Threading.Channels;
using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>
/// The frames waiting for one slow or fast client. Bounded: frames with a conflation key replace their pending
/// predecessor in place (newest state wins, no backlog); other frames count against <c>capacity</c>, and a client
/// that lets them pile up past it is disconnected rather than allowed to grow the gateway's memory.
/// </summary>
internal sealed class OutgoingQueue(int capacity)
{
    private readonly object _gate = new();
    private readonly LinkedList<ServerFrame> _slots = new();
    private readonly Dictionary<string, LinkedListNode<ServerFrame>> _pendingByKey = new(StringComparer.Ordinal);
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _ordered;
    private bool _completed;

    /// <summary>Frames replaced by a newer one with the same conflation key before they were sent.</summary>
    public long Conflated { get; private set; }

    /// <summary>False when the queue is full of frames that must not be dropped: the caller closes the connection.</summary>
    public bool TryEnqueue(ServerFrame frame)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return true;
            }
            if (frame.ConflationKey is { } key && _pendingByKey.TryGetValue(key, out var pending))
            {
                pending.Value = frame;
                Conflated++;
                return true;
            }
            if (frame.ConflationKey is null)
            {
                if (_ordered >= capacity)
                {
                    return false;
                }
                _ordered++;
            }
            var node = _slots.AddLast(frame);
            if (frame.ConflationKey is { } newKey)
            {
                _pendingByKey[newKey] = node;
            }
        }
        _signal.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Waits for the next frame; null once <see cref="Complete"/> was called and nothing is left.</summary>
    public async ValueTask<ServerFrame?> Dequeue(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_slots.First is { } first)
                {
                    _slots.RemoveFirst();
                    var frame = first.Value;
                    if (frame.ConflationKey is { } key)
                    {
                        _pendingByKey.Remove(key);
                    }
                    else
                    {
                        _ordered--;
                    }
                    return frame;
                }
                if (_completed)
                {
                    return null;
                }
            }
            if (!await _signal.Reader.WaitToReadAsync(cancellationToken))
            {
                return null;
            }
            _signal.Reader.TryRead(out _);
        }
    }

    /// <summary>
    /// No more frames will be accepted. With <paramref name="discardPending"/> what is queued is dropped (the
    /// connection is being closed for misbehaving); otherwise it is still delivered before the close.
    /// </summary>
    public void Complete(bool discardPending)
    {
        lock (_gate)
        {
            _completed = true;
            if (discardPending)
            {
                _slots.Clear();
                _pendingByKey.Clear();
                _ordered = 0;
            }
        }
        _signal.Writer.TryWrite(true);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count;
            }
        }
    }
}
