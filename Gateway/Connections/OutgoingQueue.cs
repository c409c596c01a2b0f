using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>
/// The frames waiting for one slow or fast client. A client that keeps up gets every frame, in order, even when a
/// burst arrives at once. Once it is behind (the oldest waiting frame has waited <see cref="ConflateAfter"/>) or a
/// key has <see cref="MaxPerKey"/> frames waiting, a frame with mergeable content is folded into the newest waiting
/// frame of its conflation key (<see cref="MergeableContent.Merge"/>): the client gets one frame that says all the
/// folded ones said, so a chart never skips a bar. A frame with a key and no mergeable content (a snapshot) is queued
/// in order and starts its key afresh: nothing queued after it is folded into something queued before it.
/// Frames that cannot be folded count against <c>capacity</c>, and a client that lets them pile up past it is
/// disconnected rather than allowed to grow the gateway's memory.
/// </summary>
/// <remarks>
/// The queue also decides who sends: <see cref="TryEnqueue"/> reports when a frame arrived at an idle queue, and
/// only then does the caller start a sender, which <see cref="TryDequeue"/>s until the queue is empty again. A
/// connection therefore costs no waiting task while it has nothing to send, and a frame costs no wake-up of one.
/// A folded frame is encoded once, when it is taken to be sent.
/// </remarks>
internal sealed class OutgoingQueue(int capacity, TimeProvider clock)
{
    internal static readonly TimeSpan ConflateAfter = TimeSpan.FromMilliseconds(200);
    internal const int MaxPerKey = 64;

    private readonly object _gate = new();
    private readonly LinkedList<Slot> _slots = new();
    // Made with the first frame that has a conflation key: a connection that watches nothing never needs it.
    private Dictionary<string, Chain>? _chains;
    private int _ordered;
    private bool _completed;
    private bool _sending;

    /// <summary>Frames folded into an earlier one before they were sent.</summary>
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
            var key = frame.ConflationKey;
            var chains = key is null ? null : _chains ??= new Dictionary<string, Chain>(StringComparer.Ordinal);
            if (chains is not null && frame.Mergeable is { } newer && chains.TryGetValue(key!, out var chain) && (chain.Count >= MaxPerKey || IsBehind(now)))
            {
                var newest = chain.Newest.Value;
                newest.Content = newest.Content!.Merge(newer);
                newest.Frame = null;
                Conflated++;
                return true;
            }
            if (frame.Mergeable is null)
            {
                if (_ordered >= capacity)
                {
                    return false;
                }
                _ordered++;
            }
            var node = _slots.AddLast(new Slot(frame, frame.Mergeable, now));
            if (chains is not null)
            {
                if (frame.Mergeable is null)
                {
                    // A snapshot: what comes after it must not be folded into what came before it.
                    chains.Remove(key!);
                }
                else if (chains.TryGetValue(key!, out var existing))
                {
                    existing.Newest = node;
                    existing.Count++;
                    node.Value.Chain = existing;
                }
                else
                {
                    node.Value.Chain = chains[key!] = new Chain(node);
                }
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
        Slot slot;
        lock (_gate)
        {
            if (_slots.First is not { } first)
            {
                _sending = false;
                frame = null!;
                return false;
            }
            _slots.RemoveFirst();
            slot = first.Value;
            if (slot.Chain is { } chain)
            {
                if (--chain.Count == 0 && _chains!.TryGetValue(slot.Key!, out var current) && current == chain)
                {
                    _chains.Remove(slot.Key!);
                }
            }
            else if (slot.Content is null)
            {
                _ordered--;
            }
        }
        // Encoded outside the lock: only this sender holds the slot now.
        frame = slot.Frame ?? slot.Content!.Encode(slot.Key);
        return true;
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
                _chains?.Clear();
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

    /// <summary>A queued frame; <see cref="Frame"/> is null once content was folded into it and must be encoded anew.</summary>
    private sealed class Slot(ServerFrame frame, MergeableContent? content, long queuedAt)
    {
        public ServerFrame? Frame { get; set; } = frame;

        public MergeableContent? Content { get; set; } = content;

        public string? Key { get; } = frame.ConflationKey;

        public long QueuedAt { get; } = queuedAt;

        public Chain? Chain { get; set; }
    }

    /// <summary>The waiting frames of one key since its last snapshot; new content folds into <see cref="Newest"/>.</summary>
    private sealed class Chain(LinkedListNode<Slot> newest)
    {
        public LinkedListNode<Slot> Newest { get; set; } = newest;

        public int Count { get; set; } = 1;
    }
}
