using System.Collections.Immutable;
using Realtime.Connections;

namespace Realtime.Topics;

/// <summary>The last few update frames of a topic by sequence number, so a reconnecting client gets exactly what it missed.</summary>
internal sealed class RecentUpdates(int capacity)
{
    private readonly Queue<(long Seq, ServerFrame Frame)> _frames = new();

    public void Add(long seq, ServerFrame frame)
    {
        _frames.Enqueue((seq, frame));
        if (_frames.Count > capacity)
        {
            _frames.Dequeue();
        }
    }

    public void Clear() => _frames.Clear();

    /// <summary>Every update after <paramref name="seq"/> up to <paramref name="current"/>, or false when some are no longer held.</summary>
    public bool TryGetAfter(long seq, long current, out ImmutableArray<ServerFrame> frames)
    {
        frames = [];
        if (seq > current || seq < 0)
        {
            return false;
        }
        if (seq == current)
        {
            return true;
        }
        if (_frames.Count == 0 || _frames.Peek().Seq > seq + 1)
        {
            return false;
        }
        frames = [.. _frames.Where(f => f.Seq > seq).Select(f => f.Frame)];
        return true;
    }
}
