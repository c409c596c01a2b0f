using System.Runtime.CompilerServices;
using Realtime.Connections;

namespace Realtime.Gateway.Compact;

/// <summary>
/// This gateway's own number for a topic, the handle its compact connections know the topic's updates by, and the
/// compact frames of the topic: each is encoded once for the gateway, the first time a compact connection needs it,
/// and shared by every compact connection on the topic.
/// </summary>
/// <remarks>
/// Handles are never reused within a gateway process: a frame of a topic a connection has left may still wait in its
/// queue, and must not be read as a frame of another topic. The cache is keyed by the frame object, which one publish
/// hands to every subscriber, and forgets a frame once the gateway holds it no more.
/// </remarks>
internal sealed class TopicHandle
{
    private static int _last;

    private readonly ConditionalWeakTable<ServerFrame, ServerFrame>.CreateValueCallback _encode;
    private readonly ConditionalWeakTable<ServerFrame, ServerFrame> _compact = new();

    public TopicHandle()
    {
        Value = Interlocked.Increment(ref _last);
        _encode = Encode;
    }

    public int Value { get; }

    /// <summary>The frame a compact connection gets for <paramref name="frame"/>.</summary>
    public ServerFrame Compact(ServerFrame frame)
    {
        if (frame.Mergeable is { } update ? !CompactEncoder.Handles(update) : !frame.StartsEpoch)
        {
            return frame;
        }
        return _compact.GetValue(frame, _encode);
    }

    private ServerFrame Encode(ServerFrame frame)
    {
        if (frame.Mergeable is { } update)
        {
            return new CompactContent(update, Value).Encode(frame.ConflationKey);
        }
        return CompactEncoder.WithHandle(frame, Value) is { } bytes ? frame with { Utf8Json = bytes } : frame;
    }
}
