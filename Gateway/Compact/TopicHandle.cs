using Realtime.Connections;

namespace Realtime.Gateway.Compact;

/// <summary>
/// This gateway's own number for a topic, the handle its compact connections know the topic's updates by, and the
/// compact form of the topic's frames under it.
/// </summary>
/// <remarks>
/// Handles are never reused within a gateway process: a frame of a topic a connection has left may still wait in its
/// queue, and must not be read as a frame of another topic. A published frame is made compact once per publish (see
/// <see cref="Realtime.Gateway.Connections.TopicSubscriptions.Publish"/>) and shared by every compact connection on
/// the topic.
/// </remarks>
internal sealed class TopicHandle
{
    private static int _last;

    public int Value { get; } = Interlocked.Increment(ref _last);

    /// <summary>The frame a compact connection gets for <paramref name="frame"/>.</summary>
    public ServerFrame Compact(ServerFrame frame)
    {
        if (frame.Mergeable is { } update ? !CompactEncoder.Handles(update) : !frame.StartsEpoch)
        {
            return frame;
        }
        if (frame.Mergeable is { } mergeable)
        {
            return new CompactContent(mergeable, Value).Encode(frame.ConflationKey);
        }
        return CompactEncoder.WithHandle(frame, Value) is { } bytes ? frame with { Utf8Json = bytes } : frame;
    }
}
