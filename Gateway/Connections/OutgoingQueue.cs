using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>
/// The frames waiting for one slow or fast client. Bounded: once the client is behind (the oldest waiting frame has
/// waited <see cref="ConflateAfter"/>) or a key has <see cref="MaxPerKey"/> frames waiting, a frame with a
/// conflation key replaces its newest pending predecessor in place (newest state wins, no backlog); a client that
/// keeps up gets every frame, in order, even when a burst arrives at once. Other frames count against
/// <c>capacity</c>, and a client that lets them pile up past it is disconnected rather than allowed to grow the
/// gateway's memory.
/// </summary>
/// <remarks>
/// The queue also decides who sends: <see cref="TryEnqueue"/> reports when a frame arrived at an idle queue, and
/// only then does the caller start a sender, which <see cref="TryDequeue"/>s until the queue is empty again. A
/// connection therefore costs no waiting task while it has nothing to send, and a frame costs no wake-up of one.
/// </remarks>
internal sealed class OutgoingQueue(int capacity, TimeProvider clock)
{
    internal static readonly TimeSpan ConflateAfter = TimeSpan.FromMilliseconds(200);
    internal const int MaxPerKey = 64;

    private readonly object _gate = new();
    private readonly LinkedList<(ServerFrame Frame, long QueuedAt)> _slots = new();
    private readonly Dictionary<string, (LinkedListNode<(ServerFrame Frame, long QueuedAt)> Newest, int Count)> _pendingByKey = new(StringComparer.Ordinal);
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
            var now = clock.GetTimestamp();
            if (frame.ConflationKey is { } key && _pendingByKey.TryGetValue(key, out var pending) && (pending.Count >= MaxPerKey || IsBehind(now)))
            {
                pending.Newest.Value = (frame, pending.Newest.Value.QueuedAt);
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
            var node = _slots.AddLast((frame, now));
            if (frame.ConflationKey is { } newKey)
            {
                _pendingByKey[newKey] = (node, _pendingByKey.TryGetValue(newKey, out var chain) ? chain.Count + 1 : 1);
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
            frame = first.Value.Frame;
            if (frame.ConflationKey is { } key)
            {
                var chain = _pendingByKey[key];
                if (chain.Count == 1)
                {
                    _pendingByKey.Remove(key);
                }
                else
                {
                    _pendingByKey[key] = (chain.Newest, chain.Count - 1);
                }
            }
            else
            {
                _ordered--;
            }
            return true;
        }
    }

    /// <summary>The client is behind when the oldest frame waiting for it has waited <see cref="ConflateAfter"/>.</summary>
    private bool IsBehind(long now) => _slots.First is { } oldest && clock.GetElapsedTime(oldest.Value.QueuedAt, now) >= ConflateAfter;

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
