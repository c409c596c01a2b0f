using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>
/// The frames waiting for one slow or fast client. Bounded: frames with a conflation key replace their pending
/// predecessor in place (newest state wins, no backlog); other frames count against <c>capacity</c>, and a client
/// that lets them pile up past it is disconnected rather than allowed to grow the gateway's memory.
/// </summary>
/// <remarks>
/// The queue also decides who sends: <see cref="TryEnqueue"/> reports when a frame arrived at an idle queue, and
/// only then does the caller start a sender, which <see cref="TryDequeue"/>s until the queue is empty again. A
/// connection therefore costs no waiting task while it has nothing to send, and a frame costs no wake-up of one.
/// </remarks>
internal sealed class OutgoingQueue(int capacity)
{
    private readonly object _gate = new();
    private readonly LinkedList<ServerFrame> _slots = new();
    private readonly Dictionary<string, LinkedListNode<ServerFrame>> _pendingByKey = new(StringComparer.Ordinal);
    private int _ordered;
    private bool _completed;
    private bool _sending;

    /// <summary>Frames replaced by a newer one with the same conflation key before they were sent.</summary>
    public long Conflated { get; private set; }

    /// <summary>
    /// Queues a frame. False when the queue is full of frames that may not be dropped (the caller closes the
    /// connection); <paramref name="startSender"/> is true when nobody is sending and the caller must start a sender.
    /// </summary>
    public bool TryEnqueue(ServerFrame frame, out bool startSender)
    {
        startSender = false;
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
            startSender = !_sending;
            _sending = true;
            return true;
        }
    }

    /// <summary>
    /// The next frame for the sender. When there is none the sender's turn is over: the next
    /// <see cref="TryEnqueue"/> (or <see cref="Complete"/>) asks for a new one.
    /// </summary>
    public bool TryDequeue(out ServerFrame frame)
    {
        lock (_gate)
        {
            if (_slots.First is not { } first)
            {
                _sending = false;
                frame = null!;
                return false;
            }
            _slots.RemoveFirst();
            frame = first.Value;
            if (frame.ConflationKey is { } key)
            {
                _pendingByKey.Remove(key);
            }
            else
            {
                _ordered--;
            }
            return true;
        }
    }

    /// <summary>Once completed, an empty queue means the sender should close the socket.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>
    /// No more frames will be accepted. With <paramref name="discardPending"/> what is queued is dropped (the
    /// connection is being closed for misbehaving); otherwise it is still delivered before the close. Returns true
    /// when nobody is sending and the caller must start a sender to close the socket.
    /// </summary>
    public bool Complete(bool discardPending)
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
            var startSender = !_sending;
            _sending = true;
            return startSender;
        }
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
